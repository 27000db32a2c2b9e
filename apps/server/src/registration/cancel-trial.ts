import type { Queryable } from '../db/database.js';
import { TENANT_CONFIG_CHANNEL } from '../targets/bump-tenant-config.js';

/**
 * Ends the account's running trial at once: its tenant's users lose access on their next request.
 * The subscription row stays (cancelled) so the tenant's trial is not started a second time.
 */
export async function cancelTrial(db: Queryable, accountId: string, now: Date): Promise<boolean> {
  const updated = await db.query<{ tenant_id: string }>(
    `update subscriptions set state = 'cancelled', cancelled_at = $2
      where account_id = $1 and state = 'trial'
      returning tenant_id`,
    [accountId, now],
  );
  // Servers cache who may sign in for a while; tell every one of them (decision 018).
  for (const row of updated.rows)
    await db.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, row.tenant_id]);
  return updated.rowCount > 0;
}
