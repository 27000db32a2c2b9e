import { recentTransfersQuerySchema, transferListResponseSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator } from '../web-session/authenticate-session.js';
import { listRecentTransfers } from './list-recent-transfers.js';

/** Portal API over the organisation's transfers (administrators, cookie session). */
export const portalTransferRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/portal/api/transfers',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "The organisation's transfers of the last days, newest first (administrators)",
        querystring: recentTransfersQuerySchema,
        response: { 200: transferListResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      const since = new Date(context.now().getTime() - request.query.days * 24 * 60 * 60 * 1000);
      const transfers = await withTenant(context.db, session.tenantId, (tx) =>
        listRecentTransfers(tx, session.tenantId, since, session.userId),
      );
      return { transfers };
    },
  );
};
