import {
  adminTeamListResponseSchema,
  adminTeamResponseSchema,
  idParamsSchema,
  teamBodySchema,
  teamDashboardSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator, requireRole } from '../web-session/authenticate-session.js';
import type { PortalSession } from '../web-session/web-session.store.js';
import { getTeamDashboard } from './get-team-dashboard.js';
import { createTeam, deleteTeam, listAdminTeams, updateTeam } from './save-team.js';
import { deliverTeamEvents } from './team-events.js';

/** Portal API for teams (Mailissa Team): administrators read, tenant administrators change. */
export const portalTeamsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['portal'];
  const preHandler = context.authenticateSession;
  const actorOf = (session: PortalSession) => ({ userId: session.userId, name: session.displayName });

  app.get(
    '/portal/api/teams',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The teams of Mailissa Team with members and categories (administrators)',
        response: { 200: adminTeamListResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      return {
        teams: await withTenant(context.db, session.tenantId, (tx) => listAdminTeams(tx, session.tenantId)),
      };
    },
  );

  app.post(
    '/portal/api/teams',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Create a team: name, members (users, groups), shared mailbox, categories',
        body: teamBodySchema,
        response: { 201: adminTeamResponseSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      const team = await withTenant(context.db, session.tenantId, (tx) =>
        createTeam(tx, session.tenantId, actorOf(session), request.body),
      );
      return reply.status(201).send({ team });
    },
  );

  app.put(
    '/portal/api/teams/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: "Replace a team's name, members, shared mailbox and categories (tenant administrators)",
        params: idParamsSchema,
        body: teamBodySchema,
        response: { 200: adminTeamResponseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const team = await withTenant(context.db, session.tenantId, (tx) =>
        updateTeam(tx, session.tenantId, actorOf(session), request.params.id, request.body),
      );
      deliverTeamEvents(context.db, [{ type: 'team', teamId: team.id, teamMailId: null, actorUserId: null }]);
      return { team };
    },
  );

  app.delete(
    '/portal/api/teams/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: "Delete a team and its mails' shared state (tenant administrators)",
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      const teamId = request.params.id;
      await withTenant(context.db, session.tenantId, (tx) =>
        deleteTeam(tx, session.tenantId, actorOf(session), teamId),
      );
      deliverTeamEvents(context.db, [{ type: 'team', teamId, teamMailId: null, actorUserId: null }]);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/portal/api/teams/:id/dashboard',
    {
      preHandler,
      schema: {
        tags,
        summary: "A team's figures: by status, category and assignee, last 30 days, median time to done",
        params: idParamsSchema,
        response: { 200: teamDashboardSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      return withTenant(context.db, session.tenantId, (tx) =>
        getTeamDashboard(tx, session.tenantId, request.params.id, context.now()),
      );
    },
  );
};
