import type { Queryable } from '../db/database.js';

/**
 * Records that a global administrator granted the application permissions, for the tenant the
 * account is bound to and only if Microsoft's answer names that tenant. False when it does not.
 */
export async function recordAdminConsent(
  db: Queryable,
  accountId: string,
  microsoftTenantId: string,
  now: Date,
): Promise<boolean> {
  const updated = await db.query(
    `update tenants t set admin_consent_at = coalesce(t.admin_consent_at, $3)
       from registration_accounts a
      where a.id = $1 and a.tenant_id = t.id and t.microsoft_tenant_id = $2`,
    [accountId, microsoftTenantId, now],
  );
  return updated.rowCount > 0;
}
