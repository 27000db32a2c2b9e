import type { AuditEventEntry } from '@mailissa/contracts';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); such a cell
 * gets a leading apostrophe, which spreadsheets show as text and do not evaluate.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; formula-safe. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADER = [
  'time',
  'actor',
  'actor_user_id',
  'action',
  'subject_type',
  'subject_id',
  'subject',
  'before',
  'after',
];

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** The audit entries as CSV with a header row, CRLF line ends and a BOM so spreadsheets read UTF-8. */
export function auditEventsToCsv(events: readonly AuditEventEntry[]): string {
  const lines = [HEADER.join(',')];
  for (const event of events) {
    lines.push(
      [
        event.occurredAt,
        event.actor.name,
        event.actor.userId ?? '',
        event.action,
        event.subject.type,
        event.subject.id ?? '',
        event.subject.label ?? '',
        json(event.before),
        json(event.after),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
