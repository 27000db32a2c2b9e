import type { Queryable } from '../db/database.js';
import { TENANT_CONFIG_CHANNEL } from '../targets/bump-tenant-config.js';

/**
 * Dunning's last step: a subscription overdue for longer than the grace period is suspended — its
 * users lose access, its configuration and licences stay — until the overdue invoice is paid
 * (the provider's `invoice.paid` makes it active again). Run by the hourly billing job.
 */
export async function enforceGracePeriod(db: Queryable, now: Date, graceDays: number): Promise<string[]> {
  const suspended = await db.query<{ tenant_id: string }>(
    `update subscriptions set state = 'suspended'
      where state = 'past_due' and past_due_since is not null and past_due_since <= $1
      returning tenant_id`,
    [new Date(now.getTime() - graceDays * 86_400_000)],
  );
  for (const row of suspended.rows)
    await db.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, row.tenant_id]);
  return suspended.rows.map((row) => row.tenant_id);
}
