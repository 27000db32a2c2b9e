import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser';
import mimeTypes from 'mime-types';
import { deterministicBytes } from '../seed/deterministic-id.js';
import type { SeedUser } from '../seed/directory-seed.js';
import { DEMO_USER_DISPLAY_NAME, DEMO_USER_UPN, SEED_TENANTS } from '../seed/directory-seed.js';
import type { SeedMailFile } from '../seed/seed-mails.js';
import type { Directory } from './directory.js';
import { parseCopy, receivedTime, stripEnvelope } from './mail-import.js';
import { ewsIdToRestId } from './message-ids.js';

export interface Recipient {
  emailAddress: { name: string; address: string };
}

export interface MailAttachment {
  id: string;
  kind: 'file' | 'item';
  name: string;
  /** Null for item attachments, as Graph reports them. */
  contentType: string | null;
  size: number;
  isInline: boolean;
  contentId: string | null;
  /** Decoded bytes; for an item attachment the attached message's MIME. Shared between mailboxes. */
  content: Buffer;
}

/** What the MIME says, parsed once per authored mail and shared by every mailbox that holds it. */
interface ParsedContent {
  subject: string;
  from: Recipient | null;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  replyTo: Recipient[];
  date: string;
  internetMessageId: string;
  threadRoot: string;
  bodyHtml: string | null;
  bodyText: string;
  bodyPreview: string;
  importance: 'low' | 'normal' | 'high';
  headers: Array<{ name: string; value: string }>;
  meetingRequest: boolean;
  attachments: Array<Omit<MailAttachment, 'id'>>;
}

export interface StoredMessage {
  id: string;
  ewsId: string;
  userId: string;
  tenantId: string;
  /** The MIME as consecutive buffers: a small personalised header block, then the shared rest. */
  mime: Buffer[];
  size: number;
  content: ParsedContent;
  from: Recipient | null;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  replyTo: Recipient[];
  conversationId: string;
  attachments: MailAttachment[];
  categories: string[];
  isRead: boolean;
  changeCount: number;
  /** The store-wide change sequence at this message's last change: what delta tokens compare. */
  changeSequence: number;
  lastModifiedDateTime: string;
}

/** Told after every change of a stored message (for change notifications, §4.9). */
export type MessageChangeListener = (message: StoredMessage, changeType: 'created' | 'updated') => void;

export interface ImportReport {
  imported: string[];
  skipped: Array<{ fileName: string; reason: string }>;
}

function recipients(header: AddressObject | AddressObject[] | undefined): Recipient[] {
  if (!header) return [];
  const objects = Array.isArray(header) ? header : [header];
  return objects
    .flatMap((object) => object.value.flatMap((address) => (address.group ? address.group : [address])))
    .filter((address) => address.address)
    .map((address) => ({
      emailAddress: { name: address.name || (address.address ?? ''), address: address.address ?? '' },
    }));
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'text' in value && typeof value.text === 'string')
    return value.text;
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string')
    return value.value;
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}

/**
 * Parsed seed mails by their (shared, per-process) bytes: parsing the large one takes about a second
 * of CPU, and the parse is the same for every store started in this process. Every seed mail has a
 * Date header, so the fallback date never enters the result.
 */
const parsedSeeds = new WeakMap<Buffer, Promise<ParsedContent>>();

function parseSeedContent(bytes: Buffer, fallbackDate: Date): Promise<ParsedContent> {
  let parsed = parsedSeeds.get(bytes);
  if (!parsed) {
    parsed = parseContent(bytes, fallbackDate);
    parsedSeeds.set(bytes, parsed);
  }
  return parsed;
}

/**
 * A name for a part the mail leaves unnamed, as Outlook shows one: the last segment of its
 * `Content-Location`, else `attachment` with the content type's usual extension.
 */
function unnamedPartName(attachment: Attachment): string {
  const location = attachment.headers.get('content-location');
  if (typeof location === 'string') {
    const segment = location.trim().split(/[?#]/)[0]?.split(/[\\/]/).pop() ?? '';
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // Not percent-encoded after all: keep it as written.
    }
    if (decoded.trim() !== '') return decoded.trim();
  }
  const extension = mimeTypes.extension(attachment.contentType);
  return extension ? `attachment.${extension}` : 'attachment';
}

async function parseContent(bytes: Buffer, fallbackDate: Date): Promise<ParsedContent> {
  const parsed: ParsedMail = await simpleParser(parseCopy(bytes).bytes, {
    keepCidLinks: true,
    skipTextToHtml: true,
  });
  const date = parsed.date ?? fallbackDate;
  const internetMessageId =
    parsed.messageId ?? `<${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}@emulator.invalid>`;
  const references = Array.isArray(parsed.references)
    ? parsed.references
    : parsed.references
      ? [parsed.references]
      : [];
  const text = parsed.text ?? '';
  const priority = headerText(
    parsed.headers.get('importance') ?? parsed.headers.get('x-priority') ?? '',
  ).toLowerCase();
  let meetingRequest = false;
  const attachments: Array<Omit<MailAttachment, 'id'>> = [];
  for (const attachment of parsed.attachments) {
    // A text/calendar body part (no file name) is the invitation itself, not an attachment.
    if (attachment.contentType === 'text/calendar' && !attachment.filename) {
      meetingRequest = true;
      continue;
    }
    const item = attachment.contentType === 'message/rfc822';
    const name = attachment.filename ?? (item ? 'Attached message' : unnamedPartName(attachment));
    attachments.push({
      kind: item ? 'item' : 'file',
      name: item ? name.replace(/\.eml$/i, '') : name,
      contentType: item ? null : attachment.contentType,
      size: attachment.size,
      isInline:
        Boolean(attachment.related) ||
        (attachment.contentDisposition === 'inline' && Boolean(attachment.cid)),
      contentId: attachment.cid ?? null,
      content: attachment.content,
    });
  }
  return {
    subject: parsed.subject ?? '',
    from: recipients(parsed.from)[0] ?? null,
    to: recipients(parsed.to),
    cc: recipients(parsed.cc),
    bcc: recipients(parsed.bcc),
    replyTo: recipients(parsed.replyTo),
    date: isoSeconds(date),
    internetMessageId,
    threadRoot: references[0] ?? parsed.inReplyTo ?? internetMessageId,
    bodyHtml: typeof parsed.html === 'string' ? parsed.html : null,
    bodyText: text,
    bodyPreview: text.replace(/\s+/g, ' ').trim().slice(0, 255),
    importance:
      priority.startsWith('high') || priority.startsWith('1')
        ? 'high'
        : priority.startsWith('low')
          ? 'low'
          : 'normal',
    headers: parsed.headerLines.map((line) => {
      const colon = line.line.indexOf(':');
      return {
        name: line.line.slice(0, colon),
        value: line.line
          .slice(colon + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      };
    }),
    meetingRequest,
    attachments,
  };
}

/** An RFC 5322 display name, RFC 2047-encoded when it is not plain ASCII. */
function encodeDisplayName(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name))
    return /[(),:;<>@[\]"\\]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Splits MIME after the top-level header block so the block can be personalised per mailbox. */
function splitHeader(bytes: Buffer): { head: Buffer; rest: Buffer } {
  const end = bytes.indexOf(HEADER_END);
  if (end < 0) return { head: bytes, rest: Buffer.alloc(0) };
  return { head: bytes.subarray(0, end), rest: bytes.subarray(end) };
}

/**
 * The originator fields (RFC 5322 §3.6.2) and the return path: who sent the mail. Every copy of one
 * sent mail keeps them, in Exchange as here, so readdressing leaves them alone; a copy whose sender
 * changed with its mailbox would be another mail to anyone comparing copies (Mailissa Team does).
 */
const ORIGINATOR_FIELDS = new Set(['from', 'sender', 'reply-to', 'return-path']);

/**
 * Readdresses the seed mails (authored for the first demo user) to another user, in the header
 * block only: the body, and the large attachment with it, stays one shared buffer. Only recipient
 * fields change; a mail the first demo user sent still comes from her in every mailbox.
 */
function personaliseHeader(head: Buffer, user: SeedUser): Buffer {
  if (user.userPrincipalName === DEMO_USER_UPN) return head;
  const original = `${DEMO_USER_DISPLAY_NAME} <${DEMO_USER_UPN}>`;
  let field = '';
  const lines = head
    .toString('latin1')
    .split('\r\n')
    .map((line) => {
      // A line starting with white space continues the field before it (folding).
      if (!/^[ \t]/.test(line)) field = line.slice(0, line.indexOf(':')).trim().toLowerCase();
      if (ORIGINATOR_FIELDS.has(field)) return line;
      return line
        .replaceAll(original, `${encodeDisplayName(user.displayName)} <${user.mail}>`)
        .replaceAll(DEMO_USER_UPN, user.mail);
    });
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function personaliseRecipient(recipient: Recipient, user: SeedUser): Recipient {
  if (recipient.emailAddress.address.toLowerCase() !== DEMO_USER_UPN) return recipient;
  return { emailAddress: { name: user.displayName, address: user.mail } };
}

/**
 * Exchange-style ids, deterministic per mailbox and mail so they survive restarts. 67 bytes give a
 * 92-character id with `==` padding: still under Fastify's 100-character parameter limit when a
 * client percent-encodes the `=` signs.
 */
function itemBytes(userId: string, key: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x00, 0x00, 0x00, 0x00]),
    deterministicBytes(`mailbox:${userId}`, 16),
    Buffer.from([0x07, 0x00, 0x46, 0x00, 0x00]),
    deterministicBytes(`item:${userId}:${key}`, 42),
  ]);
}

/** Is this plausibly an Internet message? Mail parsers accept anything, so check the header block. */
export function looksLikeMail(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 64 * 1024).toString('latin1');
  const end = sample.search(/\r?\n\r?\n/);
  const headerBlock = end < 0 ? sample : sample.slice(0, end);
  if (headerBlock.includes('\0') || headerBlock.length === 0) return false;
  const lines = headerBlock.split(/\r?\n/);
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(lines[0] ?? '')) return false;
  const fieldNames = new Set<string>();
  for (const line of lines) {
    if (/^[ \t]/.test(line)) continue;
    const match = /^([\x21-\x39\x3b-\x7e]+):/.exec(line);
    if (!match?.[1]) return false;
    fieldNames.add(match[1].toLowerCase());
  }
  return ['from', 'date', 'subject', 'message-id', 'mime-version'].some((name) => fieldNames.has(name));
}

/**
 * Every mailbox of every seeded user: the authored seed mails addressed to each user, plus the
 * imported ones in the first demo user's mailbox. Only categories and read state change at run time.
 */
export class MailboxStore {
  private readonly byUser = new Map<string, StoredMessage[]>();
  private readonly byId = new Map<string, StoredMessage>();
  private readonly listeners: MessageChangeListener[] = [];
  /** Increases with every change of any message; seeded messages start at 0. */
  private sequence = 0;
  importReport: ImportReport = { imported: [], skipped: [] };

  constructor(private readonly now: () => Date) {}

  static async create(input: {
    directory: Directory;
    seedMails: readonly SeedMailFile[];
    importDir: string | null;
    now: () => Date;
    warn: (message: string) => void;
    /** Where the import's summary goes (how many files were imported); `warn` when not given. */
    info?: (message: string) => void;
  }): Promise<MailboxStore> {
    const store = new MailboxStore(input.now);
    const templates = await Promise.all(
      input.seedMails.map(async (file) => ({
        key: `seed:${file.fileName}`,
        ...splitHeader(file.bytes),
        content: await parseSeedContent(file.bytes, input.now()),
      })),
    );
    // Generated tenants (a benchmark's 10,000 users) get empty mailboxes: only the seeded ones get mail.
    for (const tenant of input.directory.tenants.filter((t) => SEED_TENANTS.includes(t))) {
      for (const user of tenant.users) {
        for (const template of templates) {
          store.add(
            user,
            template.key,
            [personaliseHeader(template.head, user), template.rest],
            template.content,
          );
        }
      }
    }
    const firstUser = input.directory.userByUpnAnywhere(DEMO_USER_UPN);
    if (input.importDir && firstUser) {
      await store.importDirectory(input.importDir, firstUser, input.warn, input.info ?? input.warn);
    }
    for (const messages of store.byUser.values()) {
      messages.sort((a, b) => b.content.date.localeCompare(a.content.date) || a.id.localeCompare(b.id));
    }
    return store;
  }

  private async importDirectory(
    directory: string,
    user: SeedUser,
    warn: (message: string) => void,
    report: (message: string) => void,
  ): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(directory)).sort();
    } catch (error) {
      warn(`EMULATOR_IMPORT_DIR ${directory} cannot be read: ${(error as Error).message}`);
      return;
    }
    const skip = (fileName: string, reason: string) => {
      this.importReport.skipped.push({ fileName, reason });
      warn(`EMULATOR_IMPORT_DIR: skipped ${fileName}: ${reason}`);
    };
    for (const fileName of names) {
      const file = path.join(directory, fileName);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) {
        skip(fileName, 'not a file');
        continue;
      }
      if (!fileName.toLowerCase().endsWith('.eml')) {
        skip(fileName, 'not an .eml file');
        continue;
      }
      // Stored as Exchange would store it: without an mbox envelope line or a byte-order mark.
      const bytes = stripEnvelope(await readFile(file));
      if (!looksLikeMail(bytes)) {
        skip(fileName, 'not an Internet message (no RFC 5322 header block)');
        continue;
      }
      try {
        const content = await parseContent(bytes, info.mtime);
        content.date = isoSeconds(receivedTime(bytes, info.mtime));
        this.add(user, `import:${fileName}`, [bytes], content);
        this.importReport.imported.push(fileName);
      } catch (error) {
        skip(fileName, `the mail parser refused it: ${(error as Error).message}`);
      }
    }
    report(
      `EMULATOR_IMPORT_DIR: imported ${this.importReport.imported.length} of ${names.length} files` +
        (this.importReport.skipped.length > 0 ? `, skipped ${this.importReport.skipped.length}` : ''),
    );
  }

  private add(user: SeedUser, key: string, mime: Buffer[], content: ParsedContent): void {
    const binary = itemBytes(user.id, key);
    const ewsId = binary.toString('base64');
    const id = ewsIdToRestId(ewsId);
    // Kept under 100 characters: Fastify's default maxParamLength, which the product server keeps.
    const attachments = content.attachments.map((attachment, index) => ({
      ...attachment,
      id: ewsIdToRestId(deterministicBytes(`attachment:${user.id}:${key}#${index}`, 58).toString('base64')),
    }));
    const conversationId = ewsIdToRestId(
      Buffer.concat([
        Buffer.from([0x00, 0x00, 0x01, 0x10]),
        deterministicBytes(`conversation:${user.id}:${content.threadRoot}`, 16),
      ]).toString('base64'),
    );
    const message: StoredMessage = {
      id,
      ewsId,
      userId: user.id,
      tenantId: user.tenantId,
      mime,
      size: mime.reduce((sum, part) => sum + part.length, 0),
      content,
      // The sender stays who sent it (see ORIGINATOR_FIELDS); only the recipients are readdressed.
      from: content.from,
      to: content.to.map((r) => personaliseRecipient(r, user)),
      cc: content.cc.map((r) => personaliseRecipient(r, user)),
      bcc: content.bcc.map((r) => personaliseRecipient(r, user)),
      replyTo: content.replyTo,
      conversationId,
      attachments,
      categories: [],
      isRead: false,
      changeCount: 1,
      changeSequence: 0,
      lastModifiedDateTime: content.date,
    };
    const list = this.byUser.get(user.id) ?? [];
    list.push(message);
    this.byUser.set(user.id, list);
    this.byId.set(id, message);
  }

  messages(userId: string): StoredMessage[] {
    return this.byUser.get(userId) ?? [];
  }

  /** A message of one mailbox; ids are case-sensitive, as Graph's. */
  message(userId: string, id: string): StoredMessage | undefined {
    const message = this.byId.get(id);
    return message && message.userId === userId ? message : undefined;
  }

  /** The store-wide change sequence now: a delta round started now sees changes above it. */
  currentSequence(): number {
    return this.sequence;
  }

  onChange(listener: MessageChangeListener): void {
    this.listeners.push(listener);
  }

  setCategories(message: StoredMessage, categories: string[]): void {
    message.categories = [...categories];
    this.touch(message);
  }

  setRead(message: StoredMessage, isRead: boolean): void {
    message.isRead = isRead;
    this.touch(message);
  }

  private touch(message: StoredMessage): void {
    message.changeCount += 1;
    this.sequence += 1;
    message.changeSequence = this.sequence;
    message.lastModifiedDateTime = isoSeconds(this.now());
    for (const listener of this.listeners) listener(message, 'updated');
  }
}
