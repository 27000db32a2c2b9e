import type { Queryable } from '../db/database.js';

/**
 * Serialises every change that counts seats or administrators within one tenant: licence
 * assignments, role changes and a new user's first sign-in (tenancy/record-sign-in.ts takes the same
 * row lock). Two administrators assigning the last seat, or demoting each other, then run one after
 * the other, and the second sees what the first did. Must run inside withTenant().
 */
export async function lockTenantForLicensing(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query('select id from tenants where id = $1 for update', [tenantId]);
}
