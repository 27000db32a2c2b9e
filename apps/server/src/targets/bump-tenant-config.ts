import type { Queryable } from '../db/database.js';

/** The channel on which PostgreSQL tells every server that a tenant's configuration changed. */
export const TENANT_CONFIG_CHANNEL = 'mailissa_tenant_config';

/**
 * Marks the tenant's configuration (targets, categories, visibility, roles, licences) as changed, in
 * the caller's transaction: raises `tenants.config_version` and, on commit, notifies the other
 * servers (PostgreSQL delivers NOTIFY only when the transaction commits; decision 018). The caller
 * also invalidates its own process's caches after the commit. Must run inside withTenant().
 */
export async function bumpTenantConfig(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(
    `update tenants set config_version = config_version + 1 where id = $1 returning config_version`,
    [tenantId],
  );
  await tx.query(`select pg_notify($1, $2)`, [TENANT_CONFIG_CHANNEL, tenantId]);
}
