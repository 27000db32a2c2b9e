import type { ContactEnquiry } from '@mailissa/contracts';

export interface ContactEnquiryRow {
  id: string;
  name: string;
  email: string;
  company: string | null;
  message: string;
  language: 'en' | 'de';
  received_at: Date | string;
  status: 'open' | 'closed';
  closed_at: Date | string | null;
  operator_notified_at: Date | string | null;
}

export const CONTACT_ENQUIRY_COLUMNS =
  'id, name, email, company, message, language, received_at, status, closed_at, operator_notified_at';

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

export function toContactEnquiry(row: ContactEnquiryRow, retentionDays: number): ContactEnquiry {
  const closedAt = row.closed_at === null ? null : iso(row.closed_at);
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    company: row.company,
    message: row.message,
    language: row.language,
    receivedAt: iso(row.received_at),
    status: row.status,
    closedAt,
    operatorNotifiedAt: row.operator_notified_at === null ? null : iso(row.operator_notified_at),
    deleteAfter:
      closedAt === null ? null : new Date(Date.parse(closedAt) + retentionDays * 86_400_000).toISOString(),
  };
}
