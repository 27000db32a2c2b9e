import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The authored seed mails (CRLF line endings, byte-exact). */
export const SEED_MAIL_DIR = fileURLToPath(new URL('./mails/', import.meta.url));

/** The seed mail that carries the large attachment, generated at start (never committed). */
export const LARGE_MAIL_FILE = '06-large-attachment.eml';
export const LARGE_ATTACHMENT_NAME = 'measurements-2026.csv';
export const LARGE_ATTACHMENT_MIN_BYTES = 10 * 1024 * 1024;

const PLACEHOLDER = /\{\{generated:([^}]+)\}\}\r\n/;

/**
 * Ten megabytes of plausible CSV, the same on every start: a linear congruential generator with a
 * fixed seed drives the values, the timestamps advance one minute per row.
 */
export function generateMeasurementsCsv(): Buffer {
  const rows: string[] = ['timestamp;sensor;temperature_c;humidity_pct\r\n'];
  let length = rows[0]?.length ?? 0;
  let state = 20260101;
  const start = Date.UTC(2026, 0, 1);
  // Formatting by hand: toISOString() and toFixed() per row made start-up a second slower.
  const minutes = Array.from(
    { length: 1440 },
    (_, m) =>
      `T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000Z;sensor-`,
  );
  const fixed = (value: number, digits: number) => {
    const scale = 10 ** digits;
    const sign = value < 0 ? '-' : '';
    const abs = Math.abs(value);
    return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
  };
  let day = '';
  for (let row = 0; length < LARGE_ATTACHMENT_MIN_BYTES; row += 1) {
    if (row % 1440 === 0) day = new Date(start + row * 60_000).toISOString().slice(0, 10);
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const temperature = fixed((state % 4000) - 500, 2);
    const humidity = fixed((state >>> 12) % 1000, 1);
    const sensor = String((state >>> 20) % 64).padStart(3, '0');
    const line = `${day}${minutes[row % 1440]}${sensor};${temperature};${humidity}\r\n`;
    rows.push(line);
    length += line.length;
  }
  return Buffer.from(rows.join(''), 'ascii');
}

/** Base64 in 76-character lines with CRLF, as MIME writers produce it. */
export function base64MimeLines(content: Buffer): Buffer {
  const encoded = Buffer.from(content.toString('base64'), 'ascii');
  const lineCount = Math.ceil(encoded.length / 76);
  const out = Buffer.allocUnsafe(encoded.length + lineCount * 2);
  let offset = 0;
  // Copying slices of one encoded buffer avoids a string per line (about 190,000 for 10 MB).
  for (let i = 0; i < encoded.length; i += 76) {
    offset += encoded.copy(out, offset, i, Math.min(i + 76, encoded.length));
    out[offset] = 0x0d;
    out[offset + 1] = 0x0a;
    offset += 2;
  }
  return out.subarray(0, offset);
}

const generators: Record<string, () => Buffer> = {
  [LARGE_ATTACHMENT_NAME]: generateMeasurementsCsv,
};

/** Expands a `{{generated:name}}` line into that content's base64 lines; other files pass unchanged. */
function expandPlaceholders(fileName: string, bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const match = PLACEHOLDER.exec(text);
  if (!match || match.index === undefined) return bytes;
  const generate = generators[match[1] ?? ''];
  if (!generate) throw new Error(`seed mail ${fileName}: unknown generated content ${match[1]}`);
  return Buffer.concat([
    bytes.subarray(0, match.index),
    base64MimeLines(generate()),
    bytes.subarray(match.index + match[0].length),
  ]);
}

export interface SeedMailFile {
  fileName: string;
  /** The MIME as the first demo user receives it, byte for byte. */
  bytes: Buffer;
}

/** Reads one seed mail as the emulator serves it to the first demo user. */
export async function readSeedMail(fileName: string): Promise<Buffer> {
  return expandPlaceholders(fileName, await readFile(`${SEED_MAIL_DIR}${fileName}`));
}

let seedMails: Promise<readonly SeedMailFile[]> | undefined;

/**
 * Every seed mail as the emulator serves it. Read and expanded once per process: the files ship with
 * the package and never change while it runs, and generating the large attachment costs about half
 * a second of CPU, which every emulator start (tests start several) would otherwise pay again. The
 * buffers are shared, so callers must not write into them.
 */
export function readSeedMails(): Promise<readonly SeedMailFile[]> {
  seedMails ??= (async () => {
    const names = (await readdir(SEED_MAIL_DIR)).filter((name) => name.endsWith('.eml')).sort();
    return Promise.all(names.map(async (fileName) => ({ fileName, bytes: await readSeedMail(fileName) })));
  })();
  seedMails.catch(() => {
    seedMails = undefined;
  });
  return seedMails;
}
