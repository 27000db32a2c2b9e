import type { Queryable } from '../db/database.js';

const DAY_MS = 86_400_000;

/**
 * Tenancies whose data is due for deletion: asked for by the customer and past the stated date, or
 * whose subscription ended (cancelled or expired) more than `deletionDays` ago.
 */
export async function findDueTenancies(
  db: Queryable,
  now: Date,
  deletionDays: number,
): Promise<{ tenantId: string; reason: 'customer_request' | 'subscription_ended' }[]> {
  const rows = await db.query<{ tenant_id: string; reason: 'customer_request' | 'subscription_ended' }>(
    `select e.tenant_id, 'customer_request' as reason from tenancy_endings e where e.delete_after <= $1
     union
     select s.tenant_id, 'subscription_ended' as reason from subscriptions s
      where s.state in ('cancelled', 'expired') and s.period_end <= $2
        and not exists (select 1 from tenancy_endings e where e.tenant_id = s.tenant_id)`,
    [now, new Date(now.getTime() - deletionDays * DAY_MS)],
  );
  return rows.rows.map((row) => ({ tenantId: row.tenant_id, reason: row.reason }));
}
