import { z } from 'zod';

/**
 * What every free-text field of a request accepts. Control characters (C0, DEL, C1, and the Unicode
 * line and paragraph separators) never belong in one: NUL cannot even be stored in PostgreSQL text,
 * and the others break logs, headers and mail. Tab is allowed; line breaks only where the text is
 * multi-line. Names and subjects (anything that may end up in a mail subject or a list another person
 * reads) also refuse the characters that reorder or hide text: bidi embeddings, overrides and
 * isolates, zero-width spaces, the word joiner and the byte-order mark. They are refused, not
 * stripped, so what is stored is exactly what the sender wrote — and the sender sees why.
 * Zero-width (non-)joiners stay allowed: Persian, Indic scripts and emoji need them.
 */

export function hasControlCharacters(value: string, options: { multiline: boolean }): boolean {
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code === 0x09) continue;
    if (options.multiline && (code === 0x0a || code === 0x0d)) continue;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}

/** Bidi embeddings/overrides (U+202A–U+202E), isolates (U+2066–U+2069), hidden spaces and marks. */
const TEXT_TRICKS = /[\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF\u180E]/u;

export function hasHiddenFormatting(value: string): boolean {
  return TEXT_TRICKS.test(value);
}

const TEXT_TRICKS_EVERYWHERE = new RegExp(TEXT_TRICKS.source, 'gu');

/**
 * The text without hidden formatting. For names a person did not type but picked from Microsoft's
 * directory: refusing them would make that user or group impossible to choose.
 */
export function withoutHiddenFormatting(value: string): string {
  return value.replace(TEXT_TRICKS_EVERYWHERE, '');
}

export const SAFE_TEXT_MESSAGES = {
  control: 'must not contain control characters',
  singleLine: 'must be one line without control characters',
  hidden: 'must not contain invisible formatting characters (bidi overrides, zero-width spaces)',
} as const;

/**
 * A string schema for a request field: refuses control characters (line breaks too unless
 * `multiline`), and for a `name` (a person's or company's name, a subject) also hidden formatting.
 */
export function safeText(options: { multiline?: boolean; name?: boolean } = {}) {
  const multiline = options.multiline ?? false;
  let schema = z
    .string()
    .refine(
      (value) => !hasControlCharacters(value, { multiline }),
      multiline ? SAFE_TEXT_MESSAGES.control : SAFE_TEXT_MESSAGES.singleLine,
    );
  if (options.name) schema = schema.refine((value) => !hasHiddenFormatting(value), SAFE_TEXT_MESSAGES.hidden);
  return schema;
}
