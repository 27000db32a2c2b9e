import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { SubscriptionRow, TenantRow } from './tenancy.rows.js';

/**
 * The tenant bound to a Microsoft tenant ID, if it holds a subscription that grants access now.
 * Runs before the tenant is known, so it is the one lookup by Microsoft tenant ID across tenants.
 */
export async function findSubscribedTenant(
  db: Queryable,
  microsoftTenantId: string,
  registrationUrl: string,
): Promise<TenantRow> {
  const result = await db.query<TenantRow & Partial<SubscriptionRow>>(
    `select t.id, t.microsoft_tenant_id, t.name, t.state, s.state as subscription_state, s.period_end
       from tenants t left join subscriptions s on s.tenant_id = t.id
      where t.microsoft_tenant_id = $1`,
    [microsoftTenantId],
  );
  const row = result.rows[0] as (TenantRow & { subscription_state?: string; period_end?: Date }) | undefined;
  const grantsAccess =
    row !== undefined &&
    row.state === 'active' &&
    (row.subscription_state === 'trial' ||
      row.subscription_state === 'active' ||
      row.subscription_state === 'past_due') &&
    row.period_end !== undefined &&
    row.period_end.getTime() > Date.now();
  if (!row || !grantsAccess) {
    throw new AppError(403, 'no_subscription', 'Your organisation has no active Mailissa subscription.', {
      extra: { registrationUrl },
    });
  }
  return { id: row.id, microsoft_tenant_id: row.microsoft_tenant_id, name: row.name, state: row.state };
}
