import {
  addTeamCategoryBodySchema,
  myTeamsQuerySchema,
  myTeamsResponseSchema,
  openTeamMailBodySchema,
  type TeamEvent,
  teamMailCategoryParamsSchema,
  teamMailItemResponseSchema,
  teamMailListQuerySchema,
  teamMailListResponseSchema,
  teamMailParamsSchema,
  teamMailResponseSchema,
  teamNoteBodySchema,
  teamNoteIfMatchHeadersSchema,
  teamNoteParamsSchema,
  teamParamsSchema,
  teamPresenceResponseSchema,
  updateTeamMailBodySchema,
} from '@mailissa/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { type Principal, requirePrincipal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import { languageOf } from '../targets/visible-targets.js';
import { changeTeamMailCategories } from './change-team-mail-categories.js';
import { findMailboxItem } from './find-mailbox-item.js';
import { getTeamMail, type Language } from './get-team-mail.js';
import { listTeamMails } from './list-team-mails.js';
import { openTeamMail } from './open-team-mail.js';
import { recordPresence } from './record-presence.js';
import { addTeamNote, editTeamNote } from './save-team-note.js';
import { streamTeamEvents } from './stream-team-events.js';
import { type LoadedTeam, TeamAccess } from './team-access.js';
import { deliverTeamEvents, TeamEventHub } from './team-events.js';
import { type TeamChangeScope, teamMailNotFound } from './team-mail-scope.js';
import { registerTeamJobQueue } from './team-mirror-port.js';
import { updateTeamMail } from './update-team-mail.js';

const headers = z.object({
  authorization: z.string().optional(),
  'accept-language': z.string().max(500).optional(),
});
const langQuery = z.object({ lang: z.enum(['en', 'de']).optional() });

/** Mails whose notes mention the viewer: seen once they open the mail. */
async function markMentionsSeen(scope: TeamChangeScope, mailId: string, userId: string) {
  await scope.tx.query(
    `update team_mentions x set seen_at = $4
       from team_notes n
      where x.tenant_id = $1 and n.tenant_id = $1 and x.note_id = n.id and n.team_mail_id = $2
        and x.user_id = $3 and x.seen_at is null`,
    [scope.tenantId, mailId, userId, scope.now],
  );
}

/** The add-in's Team API (bearer tokens): teams, one mail's shared state, the list and live events. */
export const teamRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const access = new TeamAccess(context);
  const hub = new TeamEventHub(context.db);
  await hub.start();
  registerTeamJobQueue(context.db, context.jobs);
  app.addHook('onClose', async () => hub.stop());
  const openStreams = new Set<FastifyReply['raw']>();
  app.addHook('preClose', async () => {
    for (const stream of openStreams) stream.end();
  });
  const preHandler = context.authenticateUser;
  const tags = ['team'];
  const security = [{ bearer: [] }];

  function languageFor(request: { query: unknown; headers: { 'accept-language'?: string | undefined } }) {
    const lang = (request.query as { lang?: string } | undefined)?.lang;
    return languageOf(lang, request.headers['accept-language']);
  }

  /** Runs a change of one team's state in a tenant transaction and then delivers its events. */
  async function change<T>(
    principal: Principal,
    teamId: string,
    work: (scope: TeamChangeScope) => Promise<T>,
  ): Promise<T> {
    const events: TeamEvent[] = [];
    const result = await withTenant(context.db, principal.tenantId, (tx) =>
      work({
        tx,
        tenantId: principal.tenantId,
        teamId,
        actorUserId: principal.userId,
        now: context.now(),
        jobs: context.jobs,
        events,
      }),
    );
    deliverTeamEvents(context.db, events);
    return result;
  }

  async function stateAfter(scope: TeamChangeScope, mailId: string, viewer: Principal, language: Language) {
    return getTeamMail(scope.tx, {
      tenantId: scope.tenantId,
      teamId: scope.teamId,
      mailId,
      viewerUserId: viewer.userId,
      now: scope.now,
      language,
    });
  }

  async function peopleIds(principal: Principal, loaded: LoadedTeam): Promise<Set<string>> {
    return new Set((await access.peopleOf(principal, loaded)).map((person) => person.userId));
  }

  app.get(
    '/api/team/teams',
    {
      preHandler,
      schema: {
        tags,
        summary: "The user's teams with their categories and licensed members (needs a Team licence)",
        description:
          'A user without a Team licence gets 403 `no_licence` with `administrators: [{ displayName, email }]`.',
        security,
        headers,
        querystring: myTeamsQuerySchema,
        response: { 200: myTeamsResponseSchema, ...errorResponses(401, 403, 502, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const language = languageFor(request);
      const teams = await access.teamsOf(principal);
      const result = await withTenant(context.db, principal.tenantId, async (tx) => {
        const categories = await tx.query<{
          team_id: string;
          id: string;
          name_en: string;
          name_de: string;
          color: string;
        }>(
          `select t.team_id, c.id, c.name_en, c.name_de, c.color from team_categories t
             join categories c on c.id = t.category_id and c.tenant_id = t.tenant_id and c.module = 'team'
            where t.tenant_id = $1 order by c.position, c.name_en`,
          [principal.tenantId],
        );
        const unseen = await tx.query<{ n: number }>(
          `select count(*)::int as n from team_mentions where tenant_id = $1 and user_id = $2 and seen_at is null`,
          [principal.tenantId, principal.userId],
        );
        return { categories: categories.rows, unseen: unseen.rows[0]?.n ?? 0 };
      });
      return {
        user: { userId: principal.userId, displayName: principal.displayName },
        teams: await Promise.all(
          teams.map(async (loaded) => ({
            id: loaded.team.id,
            name: loaded.team.name,
            sharedMailbox: loaded.team.shared_mailbox,
            categories: result.categories
              .filter((c) => c.team_id === loaded.team.id)
              .map((c) => ({ id: c.id, name: language === 'de' ? c.name_de : c.name_en, color: c.color })),
            members: await access.peopleOf(principal, loaded),
          })),
        ),
        unseenMentions: result.unseen,
      };
    },
  );

  app.post(
    '/api/team/teams/:teamId/mails',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Opens the team state of the selected mail (created the first time a member opens it)',
        description:
          'The mail is identified by internetMessageId and a fingerprint of sender and subject (decision 050). ' +
          'Only subject, sender and received time are kept, never the body.',
        security,
        headers,
        params: teamParamsSchema,
        querystring: langQuery,
        body: openTeamMailBodySchema,
        response: { 200: teamMailResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await access.requireMember(principal, request.params.teamId);
      const mail = await change(principal, request.params.teamId, async (scope) => {
        const mailId = await openTeamMail(scope, request.body);
        await markMentionsSeen(scope, mailId, principal.userId);
        return stateAfter(scope, mailId, principal, languageFor(request));
      });
      return { mail };
    },
  );

  app.get(
    '/api/team/teams/:teamId/mails',
    {
      preHandler,
      schema: {
        tags,
        summary:
          "The team's mails, filtered by status, category and assignee, searched by subject and sender",
        security,
        headers,
        params: teamParamsSchema,
        querystring: teamMailListQuerySchema,
        response: { 200: teamMailListResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId } = request.params;
      await access.requireMember(principal, teamId);
      const { assignee, ...rest } = request.query;
      const mails = await withTenant(context.db, principal.tenantId, (tx) =>
        listTeamMails(tx, principal.tenantId, teamId, {
          ...rest,
          assigneeUserId: assignee === 'me' ? principal.userId : assignee,
        }),
      );
      return { mails };
    },
  );

  app.get(
    '/api/team/teams/:teamId/mails/:mailId',
    {
      preHandler,
      schema: {
        tags,
        summary: "One mail's team state: categories, assignee, status, notes, history, presence",
        security,
        headers,
        params: teamMailParamsSchema,
        querystring: langQuery,
        response: { 200: teamMailResponseSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId } = request.params;
      await access.requireMember(principal, teamId);
      const mail = await withTenant(context.db, principal.tenantId, (tx) =>
        getTeamMail(tx, {
          tenantId: principal.tenantId,
          teamId,
          mailId,
          viewerUserId: principal.userId,
          now: context.now(),
          language: languageFor(request),
        }),
      );
      return { mail };
    },
  );

  app.get(
    '/api/team/teams/:teamId/mails/:mailId/item',
    {
      preHandler,
      schema: {
        tags,
        summary: "The mail's id in the caller's mailbox (or the team's shared one), to open it in Outlook",
        security,
        headers,
        params: teamMailParamsSchema,
        response: { 200: teamMailItemResponseSchema, ...errorResponses(401, 403, 404, 502, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId } = request.params;
      const loaded = await access.requireMember(principal, teamId);
      const mail = await withTenant(context.db, principal.tenantId, async (tx) => {
        const rows = await tx.query<{ internet_message_id: string; fingerprint: string }>(
          'select internet_message_id, fingerprint from team_mails where tenant_id = $1 and team_id = $2 and id = $3',
          [principal.tenantId, teamId, mailId],
        );
        return rows.rows[0];
      });
      if (!mail) throw teamMailNotFound();
      const mailboxes = [
        principal.objectId,
        ...(loaded.team.shared_mailbox ? [loaded.team.shared_mailbox] : []),
      ];
      const restId = await findMailboxItem(
        context.graphFor(principal.microsoftTenantId, { profile: 'request' }),
        mailboxes,
        { internetMessageId: mail.internet_message_id, fingerprint: mail.fingerprint },
      );
      return { restId };
    },
  );

  app.post(
    '/api/team/teams/:teamId/mails/:mailId/categories',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Adds a Team category to the mail (a set: adding twice changes nothing)',
        security,
        headers,
        params: teamMailParamsSchema,
        querystring: langQuery,
        body: addTeamCategoryBodySchema,
        response: { 200: teamMailResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId } = request.params;
      await access.requireMember(principal, teamId);
      const mail = await change(principal, teamId, async (scope) => {
        await changeTeamMailCategories(scope, mailId, { add: [request.body.categoryId] });
        return stateAfter(scope, mailId, principal, languageFor(request));
      });
      return { mail };
    },
  );

  app.delete(
    '/api/team/teams/:teamId/mails/:mailId/categories/:categoryId',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Removes a category from the mail (removing one that is not there changes nothing)',
        security,
        headers,
        params: teamMailCategoryParamsSchema,
        querystring: langQuery,
        response: { 200: teamMailResponseSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId, categoryId } = request.params;
      await access.requireMember(principal, teamId);
      const mail = await change(principal, teamId, async (scope) => {
        await changeTeamMailCategories(scope, mailId, { remove: [categoryId] });
        return stateAfter(scope, mailId, principal, languageFor(request));
      });
      return { mail };
    },
  );

  app.patch(
    '/api/team/teams/:teamId/mails/:mailId',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Sets the assignee (a licensed member, or null) and/or the status (open, pending, done)',
        security,
        headers,
        params: teamMailParamsSchema,
        querystring: langQuery,
        body: updateTeamMailBodySchema,
        response: { 200: teamMailResponseSchema, ...errorResponses(400, 401, 403, 404, 502, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId } = request.params;
      const loaded = await access.requireMember(principal, teamId);
      const people = request.body.assigneeUserId ? await peopleIds(principal, loaded) : new Set<string>();
      const mail = await change(principal, teamId, async (scope) => {
        await updateTeamMail(scope, mailId, request.body, people);
        return stateAfter(scope, mailId, principal, languageFor(request));
      });
      return { mail };
    },
  );

  app.post(
    '/api/team/teams/:teamId/mails/:mailId/notes',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Adds an internal note (plain text); mentioned members get a mail and a badge',
        security,
        headers,
        params: teamMailParamsSchema,
        querystring: langQuery,
        body: teamNoteBodySchema,
        response: { 200: teamMailResponseSchema, ...errorResponses(400, 401, 403, 404, 502, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId } = request.params;
      const loaded = await access.requireMember(principal, teamId);
      const people =
        request.body.mentions.length > 0 ? await peopleIds(principal, loaded) : new Set<string>();
      const mail = await change(principal, teamId, async (scope) => {
        await addTeamNote(scope, mailId, request.body, people);
        return stateAfter(scope, mailId, principal, languageFor(request));
      });
      return { mail };
    },
  );

  app.put(
    '/api/team/teams/:teamId/mails/:mailId/notes/:noteId',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Edits a note; `If-Match` names the version edited, a newer one answers 412 with its text',
        security,
        headers: headers.extend(teamNoteIfMatchHeadersSchema.shape),
        params: teamNoteParamsSchema,
        querystring: langQuery,
        body: teamNoteBodySchema,
        response: { 200: teamMailResponseSchema, ...errorResponses(400, 401, 403, 404, 412, 502, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId, noteId } = request.params;
      const loaded = await access.requireMember(principal, teamId);
      const ifMatch = request.headers['if-match'];
      if (ifMatch === undefined) {
        throw new AppError(400, 'invalid_request', 'if-match: name the version of the note you edited.');
      }
      const version = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
      const people =
        request.body.mentions.length > 0 ? await peopleIds(principal, loaded) : new Set<string>();
      const mail = await change(principal, teamId, async (scope) => {
        await editTeamNote(scope, mailId, noteId, version, request.body, people);
        return stateAfter(scope, mailId, principal, languageFor(request));
      });
      return { mail };
    },
  );

  app.post(
    '/api/team/teams/:teamId/mails/:mailId/presence',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Heartbeat of a member with the mail open; answers who else has it open now',
        security,
        headers,
        params: teamMailParamsSchema,
        response: { 200: teamPresenceResponseSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { teamId, mailId } = request.params;
      await access.requireMember(principal, teamId);
      const present = await change(principal, teamId, async (scope) => {
        const others = await recordPresence({ ...scope, actorUserId: principal.userId }, mailId);
        await markMentionsSeen(scope, mailId, principal.userId);
        return others;
      });
      return { present };
    },
  );

  app.get(
    '/api/team/teams/:teamId/events',
    {
      preHandler,
      schema: {
        tags,
        summary: "Server-sent events of the team's changes (data: JSON of TeamEvent), for the add-in",
        description:
          'text/event-stream. Each change by any member, on any server, arrives as `event: team` with ' +
          '`{ type, teamId, teamMailId, actorUserId }`; the stream ends after a few minutes and the ' +
          'client reconnects.',
        security,
        headers,
        params: teamParamsSchema,
        response: { 200: z.string(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await access.requireMember(principal, request.params.teamId);
      streamTeamEvents(request, reply, hub, request.params.teamId, openStreams);
    },
  );
};
