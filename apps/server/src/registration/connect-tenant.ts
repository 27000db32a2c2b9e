import type { Database } from '../db/database.js';
import { findSubscriptionHolder, liveSubscriptionSql } from './subscription-holder.js';

export type ConnectOutcome =
  | { outcome: 'connected'; tenantId: string }
  | { outcome: 'held_by_other'; maskedEmail: string | null }
  | { outcome: 'account_has_subscription' };

/**
 * Binds the account to the Microsoft tenant its buyer signed in with. The tenant row is created if
 * it is new (without admin consent and without subscription, so nobody gets in yet). A tenant whose
 * live subscription another account (or another way of buying) holds is not bound; an account whose
 * own subscription runs cannot move to another tenant.
 */
export async function connectTenant(
  db: Database,
  accountId: string,
  identity: { microsoftTenantId: string; email: string },
  now: Date,
): Promise<ConnectOutcome> {
  return db.transaction(async (tx) => {
    const own = await tx.query(
      `select 1 from subscriptions s join registration_accounts a on a.tenant_id = s.tenant_id
        where a.id = $1 and s.account_id = $1 and ${liveSubscriptionSql('$2')}`,
      [accountId, now],
    );
    if (own.rowCount > 0) return { outcome: 'account_has_subscription' as const };

    // The tenant's name until the company data names it: the domain of the address that connected it.
    const provisionalName = identity.email.split('@')[1]?.slice(0, 256) || identity.microsoftTenantId;
    const upserted = await tx.query<{ id: string }>(
      `insert into tenants (microsoft_tenant_id, name) values ($1, $2)
       on conflict (microsoft_tenant_id) do update set name = tenants.name
       returning id`,
      [identity.microsoftTenantId, provisionalName],
    );
    const tenantId = upserted.rows[0]?.id;
    if (!tenantId) throw new Error('binding a tenant returned no id');
    const holder = await findSubscriptionHolder(tx, tenantId, now);
    if (holder?.live && holder.accountId !== accountId) {
      return { outcome: 'held_by_other' as const, maskedEmail: holder.maskedEmail };
    }
    await tx.query(
      'update registration_accounts set tenant_id = $2, tenant_connected_at = $3 where id = $1',
      [accountId, tenantId, now],
    );
    return { outcome: 'connected' as const, tenantId };
  });
}
