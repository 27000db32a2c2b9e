import type { PGlite } from '@electric-sql/pglite';

/**
 * A PGlite data directory holds its write-ahead log as 16 MB segment files, and a template dumped
 * after a checkpoint still carries two of them: the one with the checkpoint and one made ready for
 * later, together two thirds of the tarball's 48 MB. Every test database copies every byte of its
 * template into PGlite's in-memory file system, so those zeros and that old log cost about a third
 * of opening one. A database that starts from a clean checkpoint reads the log from the checkpoint
 * record on and nothing before it, and creates the segments it goes on to write; so the template
 * starts a fresh segment, checkpoints at its beginning, and keeps only that segment's first pages.
 */

const BLOCK = 512;
const WAL_PAGE = 8192;
const WAL_SEGMENT_FILE = /^\/?pg_wal\/[0-9A-F]{24}$/;

/** Checkpoints at the start of a new log segment and dumps the data directory with only what it needs. */
export async function dumpTrimmedDataDir(pglite: PGlite): Promise<Uint8Array> {
  await pglite.query('select pg_switch_wal()');
  await pglite.query('checkpoint');
  const { rows } = await pglite.query<{ file: string; offset: number }>(
    `select pg_walfile_name(checkpoint_lsn) as file,
            (checkpoint_lsn - '0/0'::pg_lsn)::bigint % pg_size_bytes(current_setting('wal_segment_size')) as offset
       from pg_control_checkpoint()`,
  );
  const checkpoint = rows[0];
  const tarball = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
  if (!checkpoint) return tarball;
  // The checkpoint record's page and the next: the start reads on from the record until the log ends.
  const keep = (Math.floor(Number(checkpoint.offset) / WAL_PAGE) + 2) * WAL_PAGE;
  return trimWalSegments(tarball, checkpoint.file, keep);
}

function readOctal(header: Uint8Array, start: number, length: number): number {
  const text = new TextDecoder()
    .decode(header.subarray(start, start + length))
    .replace(/\0.*$/s, '')
    .trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function readText(header: Uint8Array, start: number, length: number): string {
  return new TextDecoder().decode(header.subarray(start, start + length)).replace(/\0.*$/s, '');
}

/** A ustar header with another size, its checksum computed again (POSIX.1-1988). */
function withSize(header: Uint8Array, size: number): Uint8Array {
  const changed = header.slice();
  changed.set(new TextEncoder().encode(`${size.toString(8).padStart(11, '0')}\0`), 124);
  changed.fill(0x20, 148, 156);
  const sum = changed.reduce((total, byte) => total + byte, 0);
  changed.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return changed;
}

/**
 * The tarball without the log segments other than `segment`, and that one cut to its first
 * `keepBytes`. Everything else is copied as it is.
 */
export function trimWalSegments(tarball: Uint8Array, segment: string, keepBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset + BLOCK <= tarball.length) {
    const header = tarball.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const prefix = readText(header, 345, 155);
    const name = readText(header, 0, 100);
    const path = prefix ? `${prefix}/${name}` : name;
    const size = readOctal(header, 124, 12);
    const dataStart = offset + BLOCK;
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (WAL_SEGMENT_FILE.test(path)) {
      if (path.endsWith(segment) && size > keepBytes) {
        parts.push(withSize(header, keepBytes), tarball.subarray(dataStart, dataStart + keepBytes));
        const padding = (BLOCK - (keepBytes % BLOCK)) % BLOCK;
        if (padding > 0) parts.push(new Uint8Array(padding));
      } else if (path.endsWith(segment)) {
        parts.push(tarball.subarray(offset, next));
      }
      // Any other segment is left out: older log the checkpoint no longer needs, or one made ready.
    } else {
      parts.push(tarball.subarray(offset, next));
    }
    offset = next;
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const trimmed = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    trimmed.set(part, at);
    at += part.length;
  }
  return trimmed;
}
