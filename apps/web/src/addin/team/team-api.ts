import type {
  MyTeams,
  OpenTeamMailBody,
  TeamMail,
  TeamMailSummary,
  TeamNoteBody,
  TeamStatus,
  UpdateTeamMailBody,
} from '@mailissa/contracts';
import { type ApiRequestOptions, apiFetch, type ContractSchemaName } from '../../ui/api-client.js';

export type {
  MyTeam,
  MyTeams,
  TeamEvent,
  TeamMail,
  TeamMailSummary,
  TeamNote,
  TeamStatus,
} from '@mailissa/contracts';

/** The add-in's Team calls (`/api/team/…`), each with a fresh (usually cached) access token. */
export function createTeamApi(getAccessToken: () => Promise<string>, language: 'en' | 'de') {
  async function call<N extends ContractSchemaName>(
    path: string,
    schema: N,
    options: ApiRequestOptions = {},
  ) {
    return apiFetch(path, schema, {
      ...options,
      query: { lang: language, ...options.query },
      accessToken: await getAccessToken(),
    });
  }
  const mailPath = (teamId: string, mailId: string) => `/api/team/teams/${teamId}/mails/${mailId}`;
  const mail = async (promise: Promise<{ mail: TeamMail }>) => (await promise).mail;
  return {
    accessToken: getAccessToken,
    teams: (): Promise<MyTeams> => call('/api/team/teams', 'myTeamsResponseSchema'),
    open: (teamId: string, body: OpenTeamMailBody) =>
      mail(call(`/api/team/teams/${teamId}/mails`, 'teamMailResponseSchema', { method: 'POST', body })),
    get: (teamId: string, mailId: string) => mail(call(mailPath(teamId, mailId), 'teamMailResponseSchema')),
    list: async (
      teamId: string,
      filter: { status?: TeamStatus; categoryId?: string; assignee?: string; q?: string },
    ): Promise<TeamMailSummary[]> =>
      (await call(`/api/team/teams/${teamId}/mails`, 'teamMailListResponseSchema', { query: filter })).mails,
    addCategory: (teamId: string, mailId: string, categoryId: string) =>
      mail(
        call(`${mailPath(teamId, mailId)}/categories`, 'teamMailResponseSchema', {
          method: 'POST',
          body: { categoryId },
        }),
      ),
    removeCategory: (teamId: string, mailId: string, categoryId: string) =>
      mail(
        call(`${mailPath(teamId, mailId)}/categories/${categoryId}`, 'teamMailResponseSchema', {
          method: 'DELETE',
        }),
      ),
    update: (teamId: string, mailId: string, body: UpdateTeamMailBody) =>
      mail(call(mailPath(teamId, mailId), 'teamMailResponseSchema', { method: 'PATCH', body })),
    addNote: (teamId: string, mailId: string, body: TeamNoteBody) =>
      mail(call(`${mailPath(teamId, mailId)}/notes`, 'teamMailResponseSchema', { method: 'POST', body })),
    editNote: (teamId: string, mailId: string, noteId: string, version: number, body: TeamNoteBody) =>
      mail(
        call(`${mailPath(teamId, mailId)}/notes/${noteId}`, 'teamMailResponseSchema', {
          method: 'PUT',
          body,
          headers: { 'if-match': `"${version}"` },
        }),
      ),
    heartbeat: async (teamId: string, mailId: string) =>
      (await call(`${mailPath(teamId, mailId)}/presence`, 'teamPresenceResponseSchema', { method: 'POST' }))
        .present,
    itemOf: async (teamId: string, mailId: string) =>
      (await call(`${mailPath(teamId, mailId)}/item`, 'teamMailItemResponseSchema')).restId,
  };
}

export type TeamApi = ReturnType<typeof createTeamApi>;
