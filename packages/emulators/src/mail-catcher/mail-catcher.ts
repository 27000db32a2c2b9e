import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { type CaughtMail, type CaughtMailSummary, caughtMailSummarySchema } from './caught-mail.js';

/** The demo mail catcher: a real SMTP server on loopback that keeps what it receives. */
export interface MailCatcher {
  readonly port: number;
  /** What the product's mail sender connects to. */
  readonly smtpUrl: string;
  /** Newest first. */
  list(): Promise<CaughtMailSummary[]>;
  get(id: string): Promise<CaughtMail | null>;
  /** The message exactly as it arrived over SMTP. */
  source(id: string): Promise<Buffer | null>;
  /** The bytes of the message's attachment number `index` (from 0), as sent. */
  attachment(id: string, index: number): Promise<{ contentType: string; content: Buffer } | null>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  /** Messages are kept here as `<id>.eml` plus `<id>.json`, so they survive a restart. */
  directory: string;
  /** 0 picks a free port. */
  port: number;
  now?: () => Date;
  /** Oldest messages beyond this many are deleted. */
  maxMessages?: number;
  maxMessageBytes?: number;
}

const ID_PATTERN = /^[0-9]{15}-[0-9a-f]{12}$/;

export function isCaughtMailId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

/** A raw header line, unfolded: `Name: value` split at the first colon. */
function headerOf(line: string): { name: string; value: string } {
  const unfolded = line.replace(/\r?\n[ \t]+/g, ' ');
  const colon = unfolded.indexOf(':');
  return { name: unfolded.slice(0, colon).trim().toLowerCase(), value: unfolded.slice(colon + 1).trim() };
}

export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const now = options.now ?? (() => new Date());
  const maxMessages = options.maxMessages ?? 500;
  const maxMessageBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
  const directory = options.directory;
  await mkdir(directory, { recursive: true });

  const fileOf = (id: string, extension: 'eml' | 'json') => path.join(directory, `${id}.${extension}`);

  async function listIds(): Promise<string[]> {
    const files = await readdir(directory);
    return files
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -5))
      .filter(isCaughtMailId)
      .sort()
      .reverse();
  }

  async function readSummary(id: string): Promise<CaughtMailSummary | null> {
    try {
      return caughtMailSummarySchema.parse(JSON.parse(await readFile(fileOf(id, 'json'), 'utf8')));
    } catch {
      return null;
    }
  }

  async function store(raw: Buffer, envelope: { from: string | null; to: string[] }): Promise<string> {
    const receivedAt = now();
    const id = `${String(receivedAt.getTime()).padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
    const parsed = await simpleParser(raw);
    const summary: CaughtMailSummary = {
      id,
      receivedAt: receivedAt.toISOString(),
      envelopeFrom: envelope.from,
      envelopeTo: envelope.to,
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      subject: parsed.subject ?? '',
      size: raw.length,
    };
    await writeFile(fileOf(id, 'eml'), raw);
    // The summary is written last: a message is listed only once both files exist.
    await writeFile(fileOf(id, 'json'), JSON.stringify(summary));
    const ids = await listIds();
    for (const old of ids.slice(maxMessages)) {
      await rm(fileOf(old, 'json'), { force: true });
      await rm(fileOf(old, 'eml'), { force: true });
    }
    return id;
  }

  const server = new SMTPServer({
    name: 'mailissa-mail-catcher',
    banner: 'Mailissa demo mail catcher: keeps every message, delivers none',
    // Loopback only, so no TLS; any credentials are accepted, since SMTP_URL may carry some.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    size: maxMessageBytes,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'demo' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const error = Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 });
          callback(error);
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        store(Buffer.concat(chunks), {
          from: mailFrom === false ? null : mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        }).then(
          (id) => callback(null, `Kept as ${id}`),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    async list() {
      const summaries = await Promise.all((await listIds()).map(readSummary));
      return summaries.filter((summary): summary is CaughtMailSummary => summary !== null);
    },
    async get(id) {
      if (!isCaughtMailId(id)) return null;
      const summary = await readSummary(id);
      if (summary === null) return null;
      const raw = await readFile(fileOf(id, 'eml'));
      const parsed = await simpleParser(raw);
      return {
        ...summary,
        headers: parsed.headerLines.map((header) => headerOf(header.line)),
        text: parsed.text ?? null,
        html: typeof parsed.html === 'string' ? parsed.html : null,
        attachments: parsed.attachments.map((attachment) => ({
          filename: attachment.filename ?? null,
          contentType: attachment.contentType,
          size: attachment.content.length,
        })),
      };
    },
    async attachment(id, index) {
      if (!isCaughtMailId(id)) return null;
      try {
        const parsed = await simpleParser(await readFile(fileOf(id, 'eml')));
        const found = parsed.attachments[index];
        return found ? { contentType: found.contentType, content: found.content } : null;
      } catch {
        return null;
      }
    },
    async source(id) {
      if (!isCaughtMailId(id)) return null;
      try {
        return await readFile(fileOf(id, 'eml'));
      } catch {
        return null;
      }
    },
    async clear() {
      for (const id of await listIds()) {
        await rm(fileOf(id, 'json'), { force: true });
        await rm(fileOf(id, 'eml'), { force: true });
      }
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
