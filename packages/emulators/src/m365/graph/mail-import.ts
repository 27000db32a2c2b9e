import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * What real `.eml` exports look like before a mail parser sees them (docs/microsoft-365.md §5.10):
 * mbox exports start with a `From ` envelope line, Windows tools write a UTF-8 byte-order mark, old
 * clients put raw 8-bit header text in their own charset, and some writers break Content-Disposition.
 * Exchange stores the mail without the envelope or the mark, so the emulator does the same.
 */

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The mail itself: without a leading byte-order mark and mbox `From ` envelope line (in either order). */
export function stripEnvelope(bytes: Buffer): Buffer {
  let rest = bytes;
  for (let round = 0; round < 2; round++) {
    if (rest.subarray(0, 3).equals(BOM)) rest = rest.subarray(3);
    if (rest.subarray(0, 5).toString('latin1') === 'From ') {
      const end = rest.indexOf(0x0a);
      rest = end < 0 ? Buffer.alloc(0) : rest.subarray(end + 1);
    }
  }
  return rest;
}

interface Span {
  start: number;
  end: number;
}

const MAX_DEPTH = 20;

/*
 * The scanning below works on the bytes, reading only header blocks as (latin1) text: a whole mail as
 * one string would stop at V8's longest string, just under 512 MiB, and large mails are what
 * `npm run bench:transfer` imports (1 GB by default).
 */

const LF = 0x0a;
const CR = 0x0d;

/** Where the header block starting at `from` ends (the first blank line), and where its body begins. */
function headerEnd(bytes: Buffer, from: number): { end: number; body: number } {
  // A part without headers starts with its blank line.
  if (bytes[from] === LF) return { end: from, body: from + 1 };
  if (bytes[from] === CR && bytes[from + 1] === LF) return { end: from, body: from + 2 };
  // The first line break followed by another (each with an optional CR before its LF).
  for (let lf = bytes.indexOf(LF, from); lf >= 0; lf = bytes.indexOf(LF, lf + 1)) {
    const next = bytes[lf + 1] === CR ? lf + 2 : lf + 1;
    if (bytes[next] !== LF) continue;
    return { end: lf - 1 >= from && bytes[lf - 1] === CR ? lf - 1 : lf, body: next + 1 };
  }
  return { end: bytes.length, body: bytes.length };
}

/** One header's unfolded value from a header block, or undefined. */
function headerValue(block: string, name: string): string | undefined {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return match?.[1]?.trim();
}

function parameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match?.[1] ?? match?.[2];
}

/** The header blocks of a message and of every part below it, in byte order. */
function headerBlocks(bytes: Buffer, start: number, end: number, depth: number, out: Span[]): void {
  const found = headerEnd(bytes, start);
  const blockEnd = Math.min(found.end, end);
  const bodyFrom = Math.min(found.body, end);
  out.push({ start, end: blockEnd });
  if (depth >= MAX_DEPTH) return;
  const contentType = headerValue(bytes.toString('latin1', start, blockEnd), 'content-type') ?? '';
  if (/^message\/rfc822/i.test(contentType)) {
    headerBlocks(bytes, bodyFrom, end, depth + 1, out);
    return;
  }
  const boundary = /^multipart\//i.test(contentType) ? parameter(contentType, 'boundary') : undefined;
  if (!boundary) return;
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const closing = Buffer.from(`--${boundary}--`, 'latin1');
  const nextDelimiter = Buffer.from(`\n--${boundary}`, 'latin1');
  let position = bytes.indexOf(delimiter, Math.max(bodyFrom - 2, 0));
  while (position >= 0 && position < end) {
    const lineEnd = bytes.indexOf(LF, position);
    if (lineEnd < 0 || bytes.subarray(position, position + closing.length).equals(closing)) return;
    const partStart = lineEnd + 1;
    const next = bytes.indexOf(nextDelimiter, partStart);
    const partEnd = next < 0 || next > end ? end : next;
    headerBlocks(bytes, partStart, partEnd, depth + 1, out);
    position = next < 0 ? -1 : next + 1;
  }
}

/** The charsets the mail names anywhere, read in overlapping windows rather than as one string. */
function declaredCharsets(bytes: Buffer): string[] {
  const WINDOW = 16 * 1024 * 1024;
  const OVERLAP = 256;
  const names: string[] = [];
  for (let from = 0; from < bytes.length; from += WINDOW) {
    const text = bytes.toString('latin1', from, Math.min(from + WINDOW + OVERLAP, bytes.length));
    for (const match of text.matchAll(/charset\s*=\s*"?([A-Za-z0-9_.:-]+)"?/gi)) {
      // A match starting in the overlap belongs to the next window.
      if (match.index < WINDOW) names.push(match[1] ?? '');
    }
  }
  return names;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** ISO-8859-1 as detected is in practice Windows-1252 (as browsers treat it): € and „ live there. */
function practicalCharset(name: string): string {
  return /^iso-8859-1$/i.test(name) ? 'windows-1252' : name;
}

/**
 * The charset of raw 8-bit header text: a charset the mail declares for its text parts when it reads
 * the bytes cleanly (the writer used one charset throughout), otherwise the detector's best guess.
 */
export function detectHeaderCharset(eightBit: Buffer, declared: string[]): string | undefined {
  for (const name of declared) {
    if (/^(utf-?8|us-ascii|ascii)$/i.test(name) || !iconv.encodingExists(name)) continue;
    if (!iconv.decode(eightBit, name).includes('\ufffd')) return name;
  }
  for (const candidate of chardet.analyse(eightBit)) {
    const name = practicalCharset(candidate.name);
    if (/^utf-?8$/i.test(name) || !iconv.encodingExists(name)) continue;
    return name;
  }
  return undefined;
}

export interface ParseCopy {
  /** What the parser reads: header blocks in UTF-8, a broken body disposition dropped. */
  bytes: Buffer;
  /** The charset raw 8-bit header text was read in, if there was any. */
  headerCharset: string | undefined;
}

/**
 * A copy of the mail for the parser only (the stored MIME stays as it came): header blocks with raw
 * 8-bit text are decoded by the detected charset and re-encoded as UTF-8, which is what the parser
 * assumes; a single-part text body whose Content-Disposition is neither `inline` nor `attachment`
 * loses that header, so it stays the body instead of becoming an unnamed attachment.
 */
export function parseCopy(bytes: Buffer): ParseCopy {
  const blocks: Span[] = [];
  headerBlocks(bytes, 0, bytes.length, 0, blocks);
  blocks.sort((a, b) => a.start - b.start);

  const eightBit = Buffer.concat(
    blocks
      .map((block) => bytes.subarray(block.start, block.end))
      .filter((block) => block.some((byte) => byte >= 0x80)),
  );
  let headerCharset: string | undefined;
  if (eightBit.length > 0 && !isUtf8(eightBit)) {
    headerCharset = detectHeaderCharset(eightBit, declaredCharsets(bytes));
  }

  const root = blocks[0];
  const rootBlock = root ? bytes.toString('latin1', root.start, root.end) : '';
  const rootType = (headerValue(rootBlock, 'content-type') ?? 'text/plain').toLowerCase();
  const disposition = headerValue(rootBlock, 'content-disposition');
  const brokenDisposition =
    disposition !== undefined &&
    /^text\/(plain|html)\b/.test(rootType) &&
    !/^(inline|attachment)$/i.test(disposition.split(';')[0]?.trim() ?? '');

  if (!headerCharset && !brokenDisposition) return { bytes, headerCharset };
  const pieces: Buffer[] = [];
  let offset = 0;
  blocks.forEach((block, index) => {
    if (block.start < offset) return;
    pieces.push(bytes.subarray(offset, block.start));
    let header = bytes.subarray(block.start, block.end);
    if (headerCharset && header.some((byte) => byte >= 0x80)) {
      header = Buffer.from(iconv.decode(header, headerCharset), 'utf8');
    }
    if (index === 0 && brokenDisposition) {
      header = Buffer.from(
        header.toString('latin1').replace(/^content-disposition:.*(\r?\n[ \t].*)*(\r?\n|$)/im, ''),
        'latin1',
      );
    }
    pieces.push(header);
    offset = block.end;
  });
  pieces.push(bytes.subarray(offset));
  return { bytes: Buffer.concat(pieces), headerCharset };
}

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');

/** An RFC 5322 date-time as Date, or undefined when it is not one. */
function parseMailDate(value: string): Date | undefined {
  const match =
    /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Z]{1,5})?/.exec(
      value,
    );
  if (!match) return undefined;
  const month = MONTHS.indexOf((match[2] ?? '').toLowerCase());
  if (month < 0) return undefined;
  let year = Number(match[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  const zone = match[7] ?? '+0000';
  const offsetMinutes = /^[+-]\d{4}$/.test(zone)
    ? (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
    : 0;
  const utc = Date.UTC(
    year,
    month,
    Number(match[1]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6] ?? 0),
  );
  const date = new Date(utc - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * When the mail arrived, stable across restarts: the newest `Received:` stamp (the top one, added by
 * the last server), else the `Date:` header, else the file's modification time.
 */
export function receivedTime(bytes: Buffer, fileModified: Date): Date {
  const block = bytes.toString('latin1', 0, headerEnd(bytes, 0).end).replace(/\r?\n[ \t]+/g, ' ');
  const received = /^received:(.*)$/im.exec(block)?.[1];
  const stamp = received ? parseMailDate(received.slice(received.lastIndexOf(';') + 1)) : undefined;
  if (stamp) return stamp;
  const date = /^date:(.*)$/im.exec(block)?.[1];
  return (date ? parseMailDate(date) : undefined) ?? fileModified;
}
