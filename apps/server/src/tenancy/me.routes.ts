import { meSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { getMe } from './get-me.js';

export const meRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/api/me',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['tenancy'],
        summary: 'The signed-in user with tenant, roles, subscription and licences',
        security: [{ bearer: [] }],
        headers: z.object({ authorization: z.string().optional() }),
        response: { 200: meSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return withTenant(context.db, principal.tenantId, (tx) =>
        getMe(tx, principal.tenantId, principal.userId),
      );
    },
  );
};
