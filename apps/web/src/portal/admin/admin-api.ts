import type { AdminUsersQuery, AuditQuery, LicensedModule, Role, TenantSettings } from '@mailissa/contracts';
import { apiFetch, withQuery } from '../../ui/api-client.js';
import { CSRF_HEADER } from '../../ui/session-api.js';

/** The portal's administration API (apps/server/src/licensing, tenant-settings, audit, directory). */

export function fetchAdministrators() {
  return apiFetch('/portal/api/administrators', 'administratorsSchema');
}

export function fetchAdminUsers(query: Partial<AdminUsersQuery>, signal?: AbortSignal) {
  return apiFetch('/portal/api/admin/users', 'adminUsersPageSchema', {
    query: { ...query },
    ...(signal ? { signal } : {}),
  });
}

export function fetchSeatOverview() {
  return apiFetch('/portal/api/admin/seats', 'seatOverviewSchema');
}

export function changeLicences(
  operation: 'assign' | 'unassign',
  module: LicensedModule,
  who: { userIds: string[] } | { groupId: string },
) {
  return apiFetch(`/portal/api/admin/licences/${operation}`, 'licenceChangeResultSchema', {
    method: 'POST',
    body: { module, ...who },
    headers: CSRF_HEADER,
  });
}

export function setRole(userId: string, role: Role, granted: boolean) {
  return apiFetch(`/portal/api/admin/users/${encodeURIComponent(userId)}/roles/${role}`, 'userRolesSchema', {
    method: granted ? 'PUT' : 'DELETE',
    headers: CSRF_HEADER,
  });
}

export function searchGroups(search: string, signal?: AbortSignal) {
  return apiFetch('/portal/api/directory/groups', 'directoryGroupsSchema', {
    query: { search },
    ...(signal ? { signal } : {}),
  });
}

export function fetchSettings() {
  return apiFetch('/portal/api/admin/settings', 'tenantSettingsSchema');
}

export function saveSettings(settings: TenantSettings) {
  return apiFetch('/portal/api/admin/settings', 'tenantSettingsSchema', {
    method: 'PUT',
    body: settings,
    headers: CSRF_HEADER,
  });
}

export type AuditFilter = Omit<AuditQuery, 'page' | 'pageSize'>;

export function fetchAudit(filter: AuditFilter, page: number, pageSize: number) {
  return apiFetch('/portal/api/admin/audit', 'auditPageSchema', { query: { ...filter, page, pageSize } });
}

/** The address of the CSV export for a filter: a plain link, so the browser downloads it itself. */
export function auditCsvUrl(filter: AuditFilter): string {
  return withQuery('/portal/api/admin/audit.csv', { ...filter });
}
