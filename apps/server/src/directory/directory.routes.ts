import { directoryGroupSearchQuerySchema, directoryGroupsSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator } from '../web-session/authenticate-session.js';
import { findMicrosoftTenantId } from './find-microsoft-tenant-id.js';
import { searchDirectoryGroups } from './search-directory-groups.js';

/** Directory look-ups for the portal's pickers, through Graph with the tenant's app-only token. */
export const directoryRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const graphFor = tenantGraphFactory(context.config);
  app.get(
    '/portal/api/directory/groups',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "Searches the organisation's directory for groups by name (administrators)",
        querystring: directoryGroupSearchQuerySchema,
        response: { 200: directoryGroupsSchema, ...errorResponses(400, 401, 403, 502, 503) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      const microsoftTenantId = await withTenant(context.db, session.tenantId, (tx) =>
        findMicrosoftTenantId(tx, session.tenantId),
      );
      return searchDirectoryGroups(graphFor(microsoftTenantId, { profile: 'request' }), request.query.search);
    },
  );
};
