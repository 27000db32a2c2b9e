import type { LicensedModule, Me } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import {
  type SubscriptionRow,
  type TenantRow,
  toSubscription,
  toTenant,
  toUser,
  type UserRow,
} from './tenancy.rows.js';

/** The signed-in user with tenant, subscription and licences. Must run inside withTenant(). */
export async function getMe(tx: Queryable, tenantId: string, userId: string): Promise<Me> {
  // One after another: a transaction's connection runs one query at a time anyway.
  const user = await tx.query<UserRow>('select * from users where tenant_id = $1 and id = $2', [
    tenantId,
    userId,
  ]);
  const tenant = await tx.query<TenantRow>('select * from tenants where id = $1', [tenantId]);
  const subscription = await tx.query<SubscriptionRow>('select * from subscriptions where tenant_id = $1', [
    tenantId,
  ]);
  const licences = await tx.query<{ module: LicensedModule }>(
    'select module from licence_assignments where tenant_id = $1 and user_id = $2 order by module',
    [tenantId, userId],
  );
  const userRow = user.rows[0];
  const tenantRow = tenant.rows[0];
  const subscriptionRow = subscription.rows[0];
  if (!userRow || !tenantRow || !subscriptionRow)
    throw new Error('signed-in user, tenant or subscription vanished');
  return {
    user: toUser(userRow),
    tenant: toTenant(tenantRow),
    subscription: toSubscription(subscriptionRow),
    licences: licences.rows.map((row) => row.module),
  };
}
