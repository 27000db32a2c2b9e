import type { Queryable } from '../db/database.js';

/**
 * Records that a global administrator granted the application permissions for a tenant whose
 * subscription came from the marketplace (the registration portal records it for accounts' tenants).
 * False when Microsoft's answer names a tenant without one.
 */
export async function recordMarketplaceConsent(
  db: Queryable,
  microsoftTenantId: string,
  now: Date,
): Promise<boolean> {
  const updated = await db.query(
    `update tenants t set admin_consent_at = coalesce(t.admin_consent_at, $2)
      where t.microsoft_tenant_id = $1
        and exists (select 1 from marketplace_subscriptions m where m.tenant_id = t.id)`,
    [microsoftTenantId, now],
  );
  return updated.rowCount > 0;
}
