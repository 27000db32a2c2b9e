import type { TenantSettings } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { getTenantSettings } from './get-tenant-settings.js';

/**
 * Saves the tenant's settings and records one audit entry with the settings that changed, before
 * and after. Saving the same values again changes and records nothing. Must run inside withTenant().
 */
export async function updateTenantSettings(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  next: TenantSettings,
  defaultIdleMinutes: number,
): Promise<TenantSettings> {
  const current = await getTenantSettings(tx, tenantId, defaultIdleMinutes);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const compare = (key: string, was: unknown, now: unknown) => {
    if (was !== now) {
      before[key] = was;
      after[key] = now;
    }
  };
  compare('autoAssignLicences.team', current.autoAssignLicences.team, next.autoAssignLicences.team);
  compare(
    'autoAssignLicences.transfer',
    current.autoAssignLicences.transfer,
    next.autoAssignLicences.transfer,
  );
  compare('portalIdleMinutes', current.portalIdleMinutes, next.portalIdleMinutes);
  compare('defaultLanguage', current.defaultLanguage, next.defaultLanguage);
  compare('auditRetentionDays', current.auditRetentionDays, next.auditRetentionDays);
  if (Object.keys(after).length === 0) return current;
  await tx.query(
    `insert into tenant_settings
       (tenant_id, auto_assign_team, auto_assign_transfer, portal_idle_minutes, default_language,
        audit_retention_days, updated_at)
     values ($1, $2, $3, $4, $5, $6, now())
     on conflict (tenant_id) do update set
       auto_assign_team = excluded.auto_assign_team,
       auto_assign_transfer = excluded.auto_assign_transfer,
       portal_idle_minutes = excluded.portal_idle_minutes,
       default_language = excluded.default_language,
       audit_retention_days = excluded.audit_retention_days,
       updated_at = now()`,
    [
      tenantId,
      next.autoAssignLicences.team,
      next.autoAssignLicences.transfer,
      next.portalIdleMinutes,
      next.defaultLanguage,
      next.auditRetentionDays,
    ],
  );
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'setting.changed',
    subject: { type: 'tenant_settings', id: tenantId, label: Object.keys(after).join(', ') },
    before,
    after,
  });
  return next;
}
