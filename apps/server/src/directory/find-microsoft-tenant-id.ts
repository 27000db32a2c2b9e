import type { Queryable } from '../db/database.js';

/** The Microsoft tenant behind one of our tenants, for app-only Graph calls. Inside withTenant(). */
export async function findMicrosoftTenantId(tx: Queryable, tenantId: string): Promise<string> {
  const result = await tx.query<{ microsoft_tenant_id: string }>(
    'select microsoft_tenant_id from tenants where id = $1',
    [tenantId],
  );
  const id = result.rows[0]?.microsoft_tenant_id;
  if (!id) throw new Error(`tenant ${tenantId} has no Microsoft tenant`);
  return id;
}
