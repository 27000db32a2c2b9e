import type { Queryable } from '../db/database.js';
import { CONFIRMATION_VALIDITY_MS } from './newsletter-tokens.js';

/** The newsletter's retention run: sign-ups never confirmed within 7 days are deleted. */
export async function deleteExpiredNewsletterSignups(db: Queryable, now: Date): Promise<number> {
  const deleted = await db.query(
    `delete from newsletter_subscribers where status = 'pending' and signed_up_at <= $1`,
    [new Date(now.getTime() - CONFIRMATION_VALIDITY_MS)],
  );
  return deleted.rowCount;
}
