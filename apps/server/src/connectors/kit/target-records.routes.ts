import { idParamsSchema, targetRecordsQuerySchema, targetRecordsResponseSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { requirePrincipal } from '../../auth/authenticate.js';
import { withTenant } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { errorResponses } from '../../http/error-schemas.js';
import { requireVisibleTarget } from '../../targets/require-visible-target.js';
import { connectorFor } from '../connector-registry.js';
import { forgetConnectorCredential } from './connector-credentials.js';
import { credentialForRequest } from './request-credential.js';

/** The add-in lists this many records at most; the user narrows the search instead of scrolling. */
const MAX_RECORDS = 20;

/**
 * "Add to an existing record" in the add-in (issue 11 item 9): searches the target's system — with the
 * user's own account where the connector needs one — for records the mail can be added to (a Jira
 * issue by key or words, a Trello card, a Domino document). The chosen id goes into the transfer as
 * `linkTo`.
 */
export const targetRecordsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/api/targets/:id/records',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: "Existing records of the target's system a mail can be added to, found by key or words",
        security: [{ bearer: [] }],
        headers: z.object({ authorization: z.string().optional() }),
        params: idParamsSchema,
        querystring: targetRecordsQuerySchema,
        response: {
          200: targetRecordsResponseSchema,
          ...errorResponses(400, 401, 403, 404, 409, 429, 502, 503, 504),
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const target = await requireVisibleTarget(
        context.db,
        principal.tenantId,
        request.params.id,
        principal,
        context.memberships,
      );
      const connector = connectorFor(target.connector_type);
      if (!connector.capabilities.includes('link_existing')) {
        throw new AppError(
          409,
          'records_not_supported',
          'This target has no existing records to add a mail to; it always creates new ones.',
        );
      }
      const settings = connector.validateSettings(target.settings);
      const credential = await credentialForRequest(context, principal, target, connector.credentialKind);
      try {
        const records = await connector.findExistingRecords(
          {
            graph: context.graphFor(principal.microsoftTenantId, { profile: 'request' }),
            fetch: context.connectorFetch,
            ...(credential ? { credential } : {}),
          },
          settings,
          { text: request.query.q.trim() },
        );
        return { records: records.slice(0, MAX_RECORDS) };
      } catch (error) {
        if (
          error instanceof AppError &&
          error.code === 'target_credentials_rejected' &&
          connector.credentialKind === 'user'
        ) {
          // Expired, revoked or changed: forget it so the add-in leads back to connecting, as a transfer does.
          const owner = { tenantId: principal.tenantId, userId: principal.userId, targetId: target.id };
          await withTenant(context.db, principal.tenantId, (tx) => forgetConnectorCredential(tx, owner));
          throw new AppError(
            409,
            'target_account_not_connected',
            'The target system rejected your account. Connect it again.',
            { extra: { targetId: target.id } },
          );
        }
        throw error;
      }
    },
  );
};
