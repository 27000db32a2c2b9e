import type { Queryable } from '../db/database.js';

/**
 * Unbinds the buyer accounts connected to a tenant whose data is being deleted (rights/, the end of a
 * tenancy): the account is the buyer's, not the tenant's, so it stays — without the connection, which
 * the table's check wants cleared together with its date (a plain `on delete set null` would break it).
 */
export async function releaseDeletedTenant(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(
    `update registration_accounts set tenant_id = null, tenant_connected_at = null where tenant_id = $1`,
    [tenantId],
  );
}
