import type { Queryable } from '../db/database.js';

/**
 * Tenancies whose deletion failed and waits for the next nightly run, for the operator: how often it
 * failed and the last error code. A tenancy's rows here go with its successful deletion.
 */
export async function listTenantDeletionFailures(db: Queryable) {
  const rows = await db.query<{
    tenant_id: string;
    tenant_name: string | null;
    attempts: number;
    last_failed_at: Date;
    last_error: string;
  }>(
    `select f.tenant_id, t.name as tenant_name, count(*)::int as attempts, max(f.failed_at) as last_failed_at,
            (array_agg(f.error order by f.failed_at desc))[1] as last_error
       from tenant_deletion_failures f left join tenants t on t.id = f.tenant_id
      group by f.tenant_id, t.name
      order by max(f.failed_at) desc
      limit 200`,
  );
  return rows.rows.map((row) => ({
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    attempts: row.attempts,
    lastFailedAt: new Date(row.last_failed_at).toISOString(),
    lastError: row.last_error,
  }));
}
