/* No zod here: the portal's form checks and previews a template without the schemas. */

/** The placeholders a target's file name template may use (`{date} {from} {subject}`). */
export const FILE_NAME_PLACEHOLDERS = ['date', 'time', 'from', 'fromName', 'subject', 'to'] as const;
export const DEFAULT_FILE_NAME_TEMPLATE = '{date} {time} {subject}';

/** What `fileNameTemplateProblem` accepts, as one regular expression: not blank, known placeholders, no " * : < > ? / \\ |. */
export const FILE_NAME_TEMPLATE_PATTERN =
  /^(?=.*\S)(?:[^{}"*:<>?/\\|]|\{(?:date|time|from|fromName|subject|to)\})*$/;

/** What is wrong with a file name template, in words for the form; undefined when it is fine. */
export function fileNameTemplateProblem(template: string): string | undefined {
  if (template.trim() === '') return 'is empty';
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(FILE_NAME_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) {
      return `uses the unknown placeholder {${match[1]}}; known: ${FILE_NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`;
    }
  }
  const fixed = template.replace(/\{[a-zA-Z]+\}/g, '');
  if (/[{}]/.test(fixed)) return 'has a { or } that opens or closes no placeholder';
  // The characters SharePoint and OneDrive refuse in names (docs/microsoft-365.md §6.6): a fixed part
  // of the template holding one would be replaced in every file name, so say so now.
  if (/["*:<>?/\\|]/.test(fixed))
    return 'contains one of the characters " * : < > ? / \\ | that file names cannot hold';
  return undefined;
}

export interface FileNameFields {
  receivedAt: Date;
  from: string;
  fromName: string;
  subject: string;
  to: string;
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
