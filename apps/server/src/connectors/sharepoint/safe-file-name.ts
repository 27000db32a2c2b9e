/**
 * File names that SharePoint and OneDrive accept and that cannot be turned against anyone (docs/microsoft-365.md
 * §6.6): no path separators or traversal, none of the characters SharePoint forbids, no reserved
 * names, no control or bidirectional-override characters (which make `gpj.exe` look like `exe.jpg`),
 * and a bounded length. Attachment names come from strangers, so nothing of them is trusted.
 */
export const MAX_NAME_LENGTH = 255;
/** The decoded path including the file name must stay under 400 characters. */
export const MAX_PATH_LENGTH = 399;

// `" * : < > ? / \ |` are forbidden by SharePoint; replacing path separators also ends traversal.
const FORBIDDEN = /["*:<>?/\\|]/g;
// C0 and C1 controls and DEL (Unicode category Cc).
const CONTROL = /\p{Cc}/gu;
// Bidi marks, embeddings, overrides and isolates; zero-width characters and the BOM, which hide text.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const RESERVED_STEM = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const RESERVED_NAMES = new Set(['.lock', 'desktop.ini', 'thumbs.db', '.ds_store']);
// Keep an extension only when it looks like one; a 50-character "extension" is part of the name.
const EXTENSION = /\.[\p{L}\p{N}_-]{1,16}$/u;

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

function trimEnds(text: string): string {
  // Leading dots hide files, trailing dots and spaces are dropped by Windows and refused by SharePoint,
  // `~` at the start is refused by OneDrive for Business (and `~$` marks Office lock files).
  return text.replace(/^[\s.~]+/u, '').replace(/[\s.]+$/u, '');
}

export interface SafeNameOptions {
  /** At most this many characters; also bounded by MAX_NAME_LENGTH. */
  maxLength?: number;
  /** Used when nothing usable is left of the name. */
  fallback?: string;
}

export function safeFileName(raw: string, options: SafeNameOptions = {}): string {
  const maxLength = Math.max(8, Math.min(MAX_NAME_LENGTH, options.maxLength ?? MAX_NAME_LENGTH));
  const fallback = options.fallback ?? 'attachment';
  // Line breaks and tabs (folded subject headers) separate words; other controls just go.
  let name = raw
    .normalize('NFC')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '');
  name = name.replace(FORBIDDEN, '_');
  // With the separators gone `..` cannot traverse any more, but it never belongs in a name either.
  name = name.replace(/\.{2,}/g, '.');
  name = name.replace(/_vti_/gi, '_vti-');
  name = name.replace(/\s+/gu, ' ');
  name = trimEnds(name);
  if (name === '') name = fallback;

  const stem = name.split('.')[0] ?? '';
  if (RESERVED_STEM.test(stem.trim()) || RESERVED_NAMES.has(name.toLowerCase())) name = `_${name}`;

  if (name.length > maxLength) {
    const extension = EXTENSION.exec(name)?.[0] ?? '';
    const base = name.slice(0, name.length - extension.length);
    name = trimEnds(cut(base, maxLength - extension.length)) + extension;
    if (trimEnds(name) === '') name = cut(fallback, maxLength);
  }
  return name;
}

/** `report.pdf` → `report (2).pdf`, keeping the result within `maxLength`. */
export function numberedFileName(name: string, number: number, maxLength: number = MAX_NAME_LENGTH): string {
  if (number <= 1) return name;
  return taggedFileName(name, String(number), maxLength);
}

/** `report.pdf` + `k3x9q2` → `report (k3x9q2).pdf`, keeping the result within `maxLength`. */
export function taggedFileName(name: string, tag: string, maxLength: number = MAX_NAME_LENGTH): string {
  const extension = EXTENSION.exec(name)?.[0] ?? '';
  const suffix = ` (${tag})`;
  const base = name.slice(0, name.length - extension.length);
  return `${trimEnds(cut(base, Math.max(1, maxLength - extension.length - suffix.length)))}${suffix}${extension}`;
}

/** The longest name that keeps `folderPath/name` under SharePoint's path limit. */
export function maxNameLengthIn(folderPath: string): number {
  // Reserve room for a collision tag such as " (k3x9q2)".
  return Math.min(MAX_NAME_LENGTH, MAX_PATH_LENGTH - folderPath.length - 1 - 9);
}

/** `2026-03-14 0930 Subject.eml`, in UTC so every reader of the folder sees the same name. */
export function mailFileName(receivedAt: Date, subject: string, maxLength: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${receivedAt.getUTCFullYear()}-${pad(receivedAt.getUTCMonth() + 1)}-${pad(receivedAt.getUTCDate())} ` +
    `${pad(receivedAt.getUTCHours())}${pad(receivedAt.getUTCMinutes())}`;
  const cleanSubject = subject.trim() === '' ? 'No subject' : subject;
  // Sanitize the subject first, so its own dots never become the extension.
  const safeSubject = safeFileName(cleanSubject, {
    maxLength: maxLength - stamp.length - 5,
    fallback: 'No subject',
  });
  return safeFileName(`${stamp} ${safeSubject}.eml`, { maxLength });
}

/** Checks a folder path from a target's settings: segments must already be safe, nothing is fixed. */
export function folderPathProblem(path: string): string | undefined {
  if (path.length > 300) return 'is longer than 300 characters';
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
    if (safeFileName(segment) !== segment) return `has a segment SharePoint does not accept: "${segment}"`;
  }
  return undefined;
}

/** `/Projects/Alpha/` → `Projects/Alpha`. */
export function normaliseFolderPath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .join('/');
}
