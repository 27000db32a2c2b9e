import type {
  AdminTarget,
  Category,
  CategoryBody,
  CreateTargetBody,
  TargetTransferOptions,
  UpdateTargetBody,
  Visibility,
} from '@mailissa/contracts';
import { apiFetch } from '../../ui/api-client.js';
import { CSRF_HEADER } from '../../ui/session-api.js';

/** The portal's calls for targets, categories and stored credentials (`/portal/api/…`). */
export type { AdminTarget, Category, Visibility };

const change = { headers: CSRF_HEADER };

export const fetchConnectors = async () =>
  (await apiFetch('/portal/api/connectors', 'connectorListResponseSchema')).connectors;
export const fetchTargets = async () =>
  (await apiFetch('/portal/api/targets', 'adminTargetListResponseSchema')).targets;
/** The new target and, for a webhook, its signing secret: the one time it is readable. */
export const createTarget = async (body: CreateTargetBody) =>
  apiFetch('/portal/api/targets', 'createdTargetResponseSchema', { ...change, method: 'POST', body });
export const renewSigningSecret = async (id: string) =>
  (
    await apiFetch(`/portal/api/targets/${id}/signing-secret`, 'signingSecretResponseSchema', {
      ...change,
      method: 'POST',
    })
  ).signingSecret;
export const updateTarget = async (id: string, body: UpdateTargetBody) =>
  (
    await apiFetch(`/portal/api/targets/${id}`, 'adminTargetResponseSchema', {
      ...change,
      method: 'PATCH',
      body,
    })
  ).target;
export const deleteTarget = (id: string) =>
  apiFetch(`/portal/api/targets/${id}`, null, { ...change, method: 'DELETE' });
export const setVisibility = async (id: string, body: Visibility) =>
  (
    await apiFetch(`/portal/api/targets/${id}/visibility`, 'adminTargetResponseSchema', {
      ...change,
      method: 'PUT',
      body,
    })
  ).target;
export const testConnection = (type: string, settings: Record<string, unknown>) =>
  apiFetch(`/portal/api/connectors/${encodeURIComponent(type)}/test`, 'connectionTestResponseSchema', {
    ...change,
    method: 'POST',
    body: { settings },
  });
export const searchDirectory = (kind: 'users' | 'groups', q: string, page?: string) =>
  apiFetch('/portal/api/directory/search', 'directorySearchResponseSchema', { query: { kind, q, page } });
export const searchSites = async (search: string) =>
  (await apiFetch('/portal/api/sharepoint/sites', 'sharePointSiteListResponseSchema', { query: { search } }))
    .sites;
export const fetchDrives = async (siteId: string) =>
  (
    await apiFetch(
      `/portal/api/sharepoint/sites/${encodeURIComponent(siteId)}/drives`,
      'sharePointDriveListResponseSchema',
    )
  ).drives;
export const fetchFolders = async (driveId: string, path: string) =>
  (
    await apiFetch('/portal/api/sharepoint/folders', 'sharePointFolderListResponseSchema', {
      query: { driveId, path },
    })
  ).folders;

export const fetchTeams = async () =>
  (await apiFetch('/portal/api/m365/teams', 'm365TeamListResponseSchema')).teams;
export const fetchChannels = async (teamId: string) =>
  (
    await apiFetch(
      `/portal/api/m365/teams/${encodeURIComponent(teamId)}/channels`,
      'm365ChannelListResponseSchema',
    )
  ).channels;
export const fetchPlanGroups = async () =>
  (await apiFetch('/portal/api/m365/groups', 'm365GroupListResponseSchema')).groups;
export const fetchPlans = async (groupId: string) =>
  (
    await apiFetch(
      `/portal/api/m365/groups/${encodeURIComponent(groupId)}/plans`,
      'm365PlanListResponseSchema',
    )
  ).plans;
export const fetchBuckets = async (planId: string) =>
  (
    await apiFetch(
      `/portal/api/m365/plans/${encodeURIComponent(planId)}/buckets`,
      'm365BucketListResponseSchema',
    )
  ).buckets;

export const fetchCategories = async () =>
  (await apiFetch('/portal/api/categories', 'categoryListResponseSchema')).categories;
export const createCategory = (body: CategoryBody) =>
  apiFetch('/portal/api/categories', 'categoryResponseSchema', { ...change, method: 'POST', body });
export const updateCategory = (id: string, body: CategoryBody) =>
  apiFetch(`/portal/api/categories/${id}`, 'categoryResponseSchema', { ...change, method: 'PATCH', body });
export const deleteCategory = (id: string) =>
  apiFetch(`/portal/api/categories/${id}`, null, { ...change, method: 'DELETE' });
export const reorderCategories = (module: 'transfer' | 'team', ids: string[]) =>
  apiFetch('/portal/api/categories/order', 'categoryListResponseSchema', {
    ...change,
    method: 'PUT',
    body: { module, ids },
  });

/** Users' stored credentials (revocable) and the secrets the tenant holds for its targets. */
export const fetchCredentials = async () =>
  apiFetch('/portal/api/credentials', 'storedCredentialListResponseSchema');
export const revokeCredential = (id: string) =>
  apiFetch(`/portal/api/credentials/${id}`, 'revokedCredentialsResponseSchema', {
    ...change,
    method: 'DELETE',
  });
export const revokeUserCredentials = (userId: string) =>
  apiFetch(`/portal/api/users/${userId}/credentials`, 'revokedCredentialsResponseSchema', {
    ...change,
    method: 'DELETE',
  });

export const fetchTransferOptions = (id: string) =>
  apiFetch(`/portal/api/targets/${id}/transfer-options`, 'targetTransferOptionsResponseSchema');
export const saveTransferOptions = (id: string, body: TargetTransferOptions) =>
  apiFetch(`/portal/api/targets/${id}/transfer-options`, 'targetTransferOptionsResponseSchema', {
    ...change,
    method: 'PUT',
    body,
  });
export const fetchColumns = async (id: string) =>
  (await apiFetch(`/portal/api/targets/${id}/columns`, 'targetColumnsResponseSchema')).columns;
