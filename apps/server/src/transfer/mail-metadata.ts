import type { MappableField } from '@mailissa/contracts';

/** The mail fields a column mapping can draw on, as the transfer read them through Graph. */
export interface MappableMail {
  subject: string;
  from?: { name: string; address: string } | undefined;
  recipients: string[];
  receivedAt: Date;
  categories?: string[] | undefined;
  conversationId: string | null;
}

/** SharePoint's single line of text holds 255 characters; a longer value would refuse the whole PATCH. */
const MAX_VALUE = 255;

function fieldValue(field: MappableField, mail: MappableMail): string {
  switch (field) {
    case 'subject':
      return mail.subject;
    case 'from':
      return mail.from
        ? mail.from.name
          ? `${mail.from.name} <${mail.from.address}>`
          : mail.from.address
        : '';
    case 'to':
      return mail.recipients.join('; ');
    case 'date':
      // ISO 8601 in UTC: what a dateTime column takes, and sortable in a text column.
      return mail.receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'category':
      return (mail.categories ?? []).join('; ');
    case 'conversation':
      return mail.conversationId ?? '';
  }
}

/** Column name → value for the target's column mapping; empty when nothing is mapped. */
export function mailMetadata(
  mapping: Partial<Record<string, MappableField>>,
  mail: MappableMail,
): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [column, field] of Object.entries(mapping)) {
    if (!field) continue;
    const value = fieldValue(field, mail);
    metadata[column] = value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value;
  }
  return metadata;
}
