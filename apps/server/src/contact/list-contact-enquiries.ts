import type { ContactEnquiry } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { CONTACT_ENQUIRY_COLUMNS, type ContactEnquiryRow, toContactEnquiry } from './contact.rows.js';

/** Enquiries for the operator console, newest first; open ones or all. */
export async function listContactEnquiries(
  db: Queryable,
  options: { status: 'open' | 'closed' | 'all'; retentionDays: number; limit?: number },
): Promise<ContactEnquiry[]> {
  const result = await db.query<ContactEnquiryRow>(
    `select ${CONTACT_ENQUIRY_COLUMNS} from contact_enquiries
     where ($1 = 'all' or status = $1)
     order by received_at desc
     limit $2`,
    [options.status, options.limit ?? 500],
  );
  return result.rows.map((row) => toContactEnquiry(row, options.retentionDays));
}
