import { listTargetsResponseSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { listEnabledTargets } from './list-enabled-targets.js';
import { requireTransferLicence } from './require-transfer-licence.js';
import { toTargetSummary } from './targets.rows.js';

export const targetsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/api/targets',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: "The enabled targets of the user's organisation (needs a Transfer licence)",
        description:
          'A user without a Transfer licence gets 403 `no_licence` with `administrators: [{ displayName, email }]`.',
        security: [{ bearer: [] }],
        headers: z.object({ authorization: z.string().optional() }),
        response: { 200: listTargetsResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return withTenant(context.db, principal.tenantId, async (tx) => {
        await requireTransferLicence(tx, principal.tenantId, principal.userId);
        const targets = await listEnabledTargets(tx, principal.tenantId);
        return { targets: targets.map(toTargetSummary) };
      });
    },
  );
};
