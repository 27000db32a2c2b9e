import type { Queryable } from '../db/database.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { composeEnquiryMail } from './compose-enquiry-mail.js';
import { CONTACT_ENQUIRY_COLUMNS, type ContactEnquiryRow, toContactEnquiry } from './contact.rows.js';

/**
 * Sends one enquiry to the operator's inbox (the job behind the contact form). An enquiry that was
 * deleted meanwhile or already sent is skipped, so a retried job never mails twice after success.
 */
export async function notifyOperatorOfEnquiry(
  deps: { db: Queryable; mail: MailSender; recipient: string; publicBaseUrl: string; now: () => Date },
  enquiryId: string,
): Promise<'sent' | 'skipped'> {
  const found = await deps.db.query<ContactEnquiryRow>(
    `select ${CONTACT_ENQUIRY_COLUMNS} from contact_enquiries where id = $1`,
    [enquiryId],
  );
  const row = found.rows[0];
  if (!row || row.operator_notified_at !== null) return 'skipped';
  const enquiry = toContactEnquiry(row, 0);
  await deps.mail.send(
    composeEnquiryMail(enquiry, { to: deps.recipient, consoleUrl: `${deps.publicBaseUrl}/operator/` }),
  );
  await deps.db.query('update contact_enquiries set operator_notified_at = $2 where id = $1', [
    enquiryId,
    deps.now(),
  ]);
  return 'sent';
}
