import type { Queryable } from '../db/database.js';

export type ConfirmOutcome = 'confirmed' | 'already_confirmed' | 'not_found';

/**
 * Completes the double opt-in: a pending sign-up becomes confirmed once, recording when and from
 * which truncated network. Confirming again changes nothing; a sign-up that expired or was
 * unsubscribed is gone.
 */
export async function confirmNewsletterSubscription(
  db: Queryable,
  subscriberId: string,
  proof: { now: Date; network: string },
): Promise<ConfirmOutcome> {
  const updated = await db.query(
    `update newsletter_subscribers
        set status = 'confirmed', confirmed_at = $2, confirm_ip_truncated = $3
      where id = $1 and status = 'pending'`,
    [subscriberId, proof.now, proof.network],
  );
  if (updated.rowCount > 0) return 'confirmed';
  const existing = await db.query('select 1 from newsletter_subscribers where id = $1', [subscriberId]);
  return existing.rowCount > 0 ? 'already_confirmed' : 'not_found';
}

/** Whether a sign-up can still be confirmed, without changing it (the GET page of the link). */
export async function findSubscriptionState(
  db: Queryable,
  subscriberId: string,
): Promise<'pending' | 'confirmed' | 'not_found'> {
  const found = await db.query<{ status: 'pending' | 'confirmed' }>(
    'select status from newsletter_subscribers where id = $1',
    [subscriberId],
  );
  return found.rows[0]?.status ?? 'not_found';
}
