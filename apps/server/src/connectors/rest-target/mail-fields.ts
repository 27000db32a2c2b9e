import { z } from 'zod';
import type { MailPart, MailSource } from '../connector.js';
import { mailFileName, safeFileName } from '../sharepoint/safe-file-name.js';

/** What of a mail a record's field can be filled with (issue 11 item 9). */
export const MAIL_FIELD_SOURCES = ['subject', 'from', 'date', 'category', 'body'] as const;
export const mailFieldSourceSchema = z.enum(MAIL_FIELD_SOURCES);
export type MailFieldSource = z.infer<typeof mailFieldSourceSchema>;

/** How the portal names each source. */
export const MAIL_FIELD_LABELS: Record<MailFieldSource, { en: string; de: string }> = {
  subject: { en: 'Subject', de: 'Betreff' },
  from: { en: 'Sender', de: 'Absender' },
  date: { en: 'Received (date and time)', de: 'Empfangen (Datum und Uhrzeit)' },
  category: { en: 'Outlook categories', de: 'Outlook-Kategorien' },
  body: { en: 'Mail text', de: 'Text der E-Mail' },
};

/** The mail-field sources as a `field_mapping` setting offers them in the portal. */
export const MAIL_FIELD_SOURCE_OPTIONS = MAIL_FIELD_SOURCES.map((key) => ({
  key,
  label: MAIL_FIELD_LABELS[key],
}));

/** Text a record's text field takes at most: the whole mail is attached anyway. */
export const MAX_RECORD_TEXT = 20_000;

/** Drops control characters some systems refuse (keeps line breaks and tabs). */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/** A single line of at most `max` characters, e.g. an issue's summary or a card's name. */
export function oneLine(text: string, max: number, fallback: string): string {
  const line = printable(text).replace(/\s+/g, ' ').trim();
  if (line === '') return fallback;
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

export function senderText(mail: MailSource): string {
  if (!mail.from) return '';
  return mail.from.name && mail.from.name !== mail.from.address
    ? `${mail.from.name} <${mail.from.address}>`
    : mail.from.address;
}

/** The mail's text for a record, shortened with a note when longer than `max`. */
export async function recordText(
  mail: MailSource,
  max: number = MAX_RECORD_TEXT,
): Promise<{ text: string; shortened: boolean }> {
  const text = printable((await mail.readText?.()) ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();
  if (text.length <= max) return { text, shortened: false };
  return { text: text.slice(0, max).trimEnd(), shortened: true };
}

/** The value of a mapped field, as text. */
export async function mailFieldValue(mail: MailSource, source: MailFieldSource): Promise<string> {
  switch (source) {
    case 'subject':
      return oneLine(mail.subject, 255, '');
    case 'from':
      return senderText(mail);
    case 'date':
      return mail.receivedAt.toISOString();
    case 'category':
      return (mail.categories ?? []).join(', ');
    case 'body':
      return (await recordText(mail)).text;
  }
}

/** The name a part is stored under in a record: the .eml named after date and subject, attachments made safe. */
export function partFileName(mail: MailSource, part: MailPart, maxLength = 200): string {
  return part.key === 'message'
    ? mailFileName(mail.receivedAt, mail.subject, maxLength)
    : safeFileName(part.name, { maxLength });
}

export function partContentType(part: MailPart): string {
  return part.key === 'message' ? 'message/rfc822' : 'application/octet-stream';
}
