import type { AdminTeam, TeamBody, TeamDashboard } from '@mailissa/contracts';
import { apiFetch } from '../../ui/api-client.js';
import { CSRF_HEADER } from '../../ui/session-api.js';

/** The portal's calls for Mailissa Team (`/portal/api/teams…`). */
export type { AdminTeam, TeamBody, TeamDashboard };

const change = { headers: CSRF_HEADER };

export const fetchTeams = async () =>
  (await apiFetch('/portal/api/teams', 'adminTeamListResponseSchema')).teams;
export const createTeam = async (body: TeamBody) =>
  (await apiFetch('/portal/api/teams', 'adminTeamResponseSchema', { ...change, method: 'POST', body })).team;
export const updateTeam = async (id: string, body: TeamBody) =>
  (await apiFetch(`/portal/api/teams/${id}`, 'adminTeamResponseSchema', { ...change, method: 'PUT', body }))
    .team;
export const deleteTeam = (id: string) =>
  apiFetch(`/portal/api/teams/${id}`, null, { ...change, method: 'DELETE' });
export const fetchTeamDashboard = (id: string) =>
  apiFetch(`/portal/api/teams/${id}/dashboard`, 'teamDashboardSchema');
