import { portalUsersResponseSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator } from '../web-session/authenticate-session.js';
import { listTenantUsers } from './list-tenant-users.js';

/** Portal API over the organisation's users, their roles and licences (administrators, cookie session). */
export const portalUsersRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/portal/api/users',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "The organisation's users with roles, licences, first and last seen (administrators)",
        response: { 200: portalUsersResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      const users = await withTenant(context.db, session.tenantId, (tx) =>
        listTenantUsers(tx, session.tenantId),
      );
      return { users };
    },
  );
};
