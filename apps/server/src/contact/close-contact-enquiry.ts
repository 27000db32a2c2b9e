import type { ContactEnquiry } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { CONTACT_ENQUIRY_COLUMNS, type ContactEnquiryRow, toContactEnquiry } from './contact.rows.js';

/**
 * Marks an enquiry as answered. Closing starts its retention period; closing again changes nothing
 * (the first closing time counts).
 */
export async function closeContactEnquiry(
  db: Queryable,
  id: string,
  options: { now: Date; retentionDays: number },
): Promise<ContactEnquiry> {
  const result = await db.query<ContactEnquiryRow>(
    `update contact_enquiries
        set status = 'closed', closed_at = coalesce(closed_at, $2)
      where id = $1
      returning ${CONTACT_ENQUIRY_COLUMNS}`,
    [id, options.now],
  );
  const row = result.rows[0];
  if (!row)
    throw new AppError(404, 'enquiry_not_found', 'There is no such enquiry (it may have been deleted).');
  return toContactEnquiry(row, options.retentionDays);
}
