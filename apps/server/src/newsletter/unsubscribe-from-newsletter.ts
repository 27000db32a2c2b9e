import type { Queryable } from '../db/database.js';

/**
 * Withdraws consent: the address and its proof are deleted at once, pending or confirmed.
 * Unsubscribing again finds nothing and changes nothing.
 */
export async function unsubscribeFromNewsletter(
  db: Queryable,
  subscriberId: string,
): Promise<'unsubscribed' | 'not_subscribed'> {
  const deleted = await db.query('delete from newsletter_subscribers where id = $1', [subscriberId]);
  return deleted.rowCount > 0 ? 'unsubscribed' : 'not_subscribed';
}
