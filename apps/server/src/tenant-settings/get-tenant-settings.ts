import type { TenantSettings } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';

export interface TenantSettingsRow {
  auto_assign_team: boolean;
  auto_assign_transfer: boolean;
  portal_idle_minutes: number;
  default_language: 'en' | 'de';
  audit_retention_days: number;
}

/**
 * A tenant's settings. A tenant whose administrators never saved any gets the defaults, with
 * automatic licences as its subscription says (trials hand them out, docs/decisions/007).
 * The SQL is exported for callers that need the same defaults in a join (sign-in, sessions).
 */
export const TENANT_SETTINGS_SQL = `
  select coalesce(ts.auto_assign_team, sub.auto_assign_licences, false) as auto_assign_team,
         coalesce(ts.auto_assign_transfer, sub.auto_assign_licences, false) as auto_assign_transfer,
         coalesce(ts.portal_idle_minutes, $2::int) as portal_idle_minutes,
         coalesce(ts.default_language, 'en') as default_language,
         coalesce(ts.audit_retention_days, 365) as audit_retention_days
    from tenants t
    left join tenant_settings ts on ts.tenant_id = t.id
    left join subscriptions sub on sub.tenant_id = t.id
   where t.id = $1`;

/** Must run inside withTenant(); `defaultIdleMinutes` is the server's configured idle timeout. */
export async function getTenantSettings(
  tx: Queryable,
  tenantId: string,
  defaultIdleMinutes: number,
): Promise<TenantSettings> {
  const result = await tx.query<TenantSettingsRow>(TENANT_SETTINGS_SQL, [
    tenantId,
    clampIdleMinutes(defaultIdleMinutes),
  ]);
  const row = result.rows[0];
  if (!row) throw new Error(`tenant ${tenantId} not found for its settings`);
  return toTenantSettings(row);
}

/** The portal's idle timeout is 3–60 minutes; a server default outside that is brought into it. */
export function clampIdleMinutes(minutes: number): number {
  return Math.min(60, Math.max(3, Math.round(minutes)));
}

export function toTenantSettings(row: TenantSettingsRow): TenantSettings {
  return {
    autoAssignLicences: { team: row.auto_assign_team, transfer: row.auto_assign_transfer },
    portalIdleMinutes: row.portal_idle_minutes,
    defaultLanguage: row.default_language,
    auditRetentionDays: row.audit_retention_days,
  };
}
