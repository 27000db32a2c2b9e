import type { Queryable } from '../db/database.js';

/**
 * Deletes audit entries older than each tenant's retention (tenant settings; one year where none
 * is set). One statement across all tenants, run by the nightly audit job as the owner role,
 * outside withTenant(). Returns how many entries went.
 */
export async function deleteExpiredAuditEvents(db: Queryable, now: Date): Promise<number> {
  const result = await db.query(
    `delete from audit_events a
      where a.occurred_at < $1::timestamptz - make_interval(days => coalesce(
              (select ts.audit_retention_days from tenant_settings ts where ts.tenant_id = a.tenant_id), 365))`,
    [now],
  );
  return result.rowCount;
}
