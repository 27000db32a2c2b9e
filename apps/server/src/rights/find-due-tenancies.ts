import type { Queryable } from '../db/database.js';

const DAY_MS = 86_400_000;

/**
 * SQL (subscriptions `s`): when the subscription stopped granting access, or null while it still
 * does. Cancelled or expired: at its period end, or earlier when it was cancelled at once (a trial
 * cancelled on its fifth day, a marketplace subscription unsubscribed); a trial nobody bought: at its
 * end, though no job marks it expired. Suspended (dunning) is not an end: paying brings it back.
 */
export const SUBSCRIPTION_ENDED_AT = `case
    when s.state in ('cancelled', 'expired') then least(s.period_end, coalesce(s.cancelled_at, s.period_end))
    when s.state = 'trial' then s.period_end
  end`;

/**
 * Tenancies whose data is due for deletion: asked for by the customer and past the stated date, or
 * whose subscription ended (SUBSCRIPTION_ENDED_AT) more than `deletionDays` ago.
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
      where ${SUBSCRIPTION_ENDED_AT} <= $2
        and not exists (select 1 from tenancy_endings e where e.tenant_id = s.tenant_id)`,
    [now, new Date(now.getTime() - deletionDays * DAY_MS)],
  );
  return rows.rows.map((row) => ({ tenantId: row.tenant_id, reason: row.reason }));
}
