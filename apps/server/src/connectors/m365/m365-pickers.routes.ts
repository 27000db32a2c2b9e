import {
  m365BucketListResponseSchema,
  m365ChannelListResponseSchema,
  m365GroupListResponseSchema,
  m365GroupParamsSchema,
  m365PlanListResponseSchema,
  m365PlanParamsSchema,
  m365TeamListResponseSchema,
  m365TeamParamsSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.js';
import { withTenant } from '../../db/database.js';
import { errorResponses } from '../../http/error-schemas.js';
import { requireRole } from '../../web-session/authenticate-session.js';
import type { PortalSession } from '../../web-session/web-session.store.js';
import { listBuckets, listChannels, listPlanGroups, listPlans, listTeams } from './browse-m365.js';

/** The portal's Teams-channel and Planner pickers (tenant administrators), app-only through Graph. */
export const m365PickerRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['portal'];
  const preHandler = context.authenticateSession;

  async function graphOf(session: PortalSession) {
    const row = await withTenant(context.db, session.tenantId, (tx) =>
      tx.query<{ microsoft_tenant_id: string }>('select microsoft_tenant_id from tenants where id = $1', [
        session.tenantId,
      ]),
    );
    return context.graphFor(row.rows[0]?.microsoft_tenant_id ?? '', { profile: 'request' });
  }
  const admin = (request: Parameters<typeof requireRole>[0]) => requireRole(request, 'tenant_administrator');

  app.get(
    '/portal/api/m365/teams',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Teams picker: the teams of the organisation (tenant administrators)',
        response: { 200: m365TeamListResponseSchema, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => ({ teams: await listTeams(await graphOf(admin(request))) }),
  );

  app.get(
    '/portal/api/m365/teams/:teamId/channels',
    {
      preHandler,
      schema: {
        tags,
        summary: "Teams picker: a team's channels (tenant administrators)",
        params: m365TeamParamsSchema,
        response: { 200: m365ChannelListResponseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => ({
      channels: await listChannels(await graphOf(admin(request)), request.params.teamId),
    }),
  );

  app.get(
    '/portal/api/m365/groups',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Planner picker: the Microsoft 365 groups that can own plans (tenant administrators)',
        response: { 200: m365GroupListResponseSchema, ...errorResponses(401, 403, 503) },
      },
    },
    async (request) => ({ groups: await listPlanGroups(await graphOf(admin(request))) }),
  );

  app.get(
    '/portal/api/m365/groups/:groupId/plans',
    {
      preHandler,
      schema: {
        tags,
        summary: "Planner picker: a group's plans (tenant administrators)",
        params: m365GroupParamsSchema,
        response: { 200: m365PlanListResponseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => ({ plans: await listPlans(await graphOf(admin(request)), request.params.groupId) }),
  );

  app.get(
    '/portal/api/m365/plans/:planId/buckets',
    {
      preHandler,
      schema: {
        tags,
        summary: "Planner picker: a plan's buckets (tenant administrators)",
        params: m365PlanParamsSchema,
        response: { 200: m365BucketListResponseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => ({
      buckets: await listBuckets(await graphOf(admin(request)), request.params.planId),
    }),
  );
};
