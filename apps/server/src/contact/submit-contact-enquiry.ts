import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Lang } from '../website/i18n.js';
import type { ContactFormInput } from './contact.schemas.js';

export const NOTIFY_OPERATOR_QUEUE = 'contact.notify-operator';

/**
 * Stores an enquiry and queues the mail to the operator in the same transaction: either both exist
 * or neither, and the mail goes out (with retries) even if the server restarts before sending it.
 */
export async function submitContactEnquiry(
  deps: { db: Database; jobs: JobQueue },
  input: ContactFormInput & { language: Lang },
  now: Date,
): Promise<{ id: string }> {
  return deps.db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `insert into contact_enquiries (name, email, company, message, language, received_at)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [input.name, input.email, input.company, input.message, input.language, now],
    );
    const id = inserted.rows[0]?.id;
    if (!id) throw new Error('insert into contact_enquiries returned no id');
    await deps.jobs.send(
      NOTIFY_OPERATOR_QUEUE,
      { enquiryId: id },
      { transaction: tx, retryLimit: 20, retryDelaySeconds: 30, retryBackoff: true },
    );
    return { id };
  });
}
