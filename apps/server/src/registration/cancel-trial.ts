import type { Queryable } from '../db/database.js';

/**
 * Ends the account's running trial at once: its tenant's users lose access on their next request.
 * The subscription row stays (cancelled) so the tenant's trial is not started a second time.
 */
export async function cancelTrial(db: Queryable, accountId: string, now: Date): Promise<boolean> {
  const updated = await db.query(
    `update subscriptions set state = 'cancelled', cancelled_at = $2
      where account_id = $1 and state = 'trial'`,
    [accountId, now],
  );
  return updated.rowCount > 0;
}
