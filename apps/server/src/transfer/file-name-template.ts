/** The placeholders a target's file name template may use (`{date} {from} {subject}`). */
export const FILE_NAME_PLACEHOLDERS = ['date', 'time', 'from', 'fromName', 'subject', 'to'] as const;
export const DEFAULT_FILE_NAME_TEMPLATE = '{date} {time} {subject}';

export interface FileNameFields {
  receivedAt: Date;
  from: string;
  fromName: string;
  subject: string;
  to: string;
}

/** Problems with a template, for the portal's form; undefined when it is fine. */
export function fileNameTemplateProblem(template: string): string | undefined {
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(FILE_NAME_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) {
      return `uses the unknown placeholder {${match[1]}}; known: ${FILE_NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`;
    }
  }
  if (!/\{[a-zA-Z]+\}/.test(template) && template.trim() === '') return 'is empty';
  return undefined;
}

/**
 * The `.eml`'s name (without extension) from a template, in UTC so every reader of the folder sees
 * the same name. The connector makes it safe for its target afterwards.
 */
export function renderFileName(template: string, fields: FileNameFields): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const at = fields.receivedAt;
  const values: Record<string, string> = {
    date: `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`,
    time: `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`,
    from: fields.from,
    fromName: fields.fromName || fields.from,
    subject: fields.subject.trim() === '' ? 'No subject' : fields.subject,
    to: fields.to,
  };
  return template
    .replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole)
    .replace(/\s+/g, ' ')
    .trim();
}
