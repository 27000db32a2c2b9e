import {
  createTransferBodySchema,
  idParamsSchema,
  transferListResponseSchema,
  transferResponseSchema,
  transfersOfMessageQuerySchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { createDelegatedAccess } from '../graph/delegated-access.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import { errorResponses } from '../http/error-schemas.js';
import { createTransfer } from './create-transfer.js';
import { getTransfer } from './get-transfer.js';
import { listTransfersOfMessage } from './list-transfers-of-message.js';

const authHeaders = z.object({ authorization: z.string().optional() });

export const transferRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const graphFor = tenantGraphFactory(context.config);
  const delegated = createDelegatedAccess({
    config: context.config,
    db: context.db,
    keyring: context.credentials,
    now: context.now,
  });

  app.post(
    '/api/transfers',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'Transfer a mail to a target (queued; poll GET /api/transfers/{id})',
        description:
          'Checks the Transfer licence, the admin consent of the organisation, that the target belongs to the organisation and is enabled, and ' +
          "that the mail is in the user's mailbox; then records the transfer and queues its job together.",
        security: [{ bearer: [] }],
        headers: authHeaders,
        body: createTransferBodySchema,
        response: { 202: transferResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const transfer = await createTransfer(
        {
          db: context.db,
          jobs: context.jobs,
          memberships: context.memberships,
          delegated,
          graph: graphFor(principal.microsoftTenantId, { profile: 'request' }),
        },
        principal,
        request.body,
      );
      return reply.status(202).send({ transfer });
    },
  );

  app.get(
    '/api/transfers/:id',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'One transfer of the organisation, with its state and the files it wrote',
        security: [{ bearer: [] }],
        headers: authHeaders,
        params: idParamsSchema,
        response: { 200: transferResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const transfer = await withTenant(context.db, principal.tenantId, (tx) =>
        getTransfer(tx, principal.tenantId, request.params.id, principal.userId),
      );
      if (!transfer) throw new AppError(404, 'transfer_not_found', 'This transfer does not exist.');
      return { transfer };
    },
  );

  app.get(
    '/api/transfers',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'Earlier transfers of a mail in the organisation (by anyone), newest first',
        security: [{ bearer: [] }],
        headers: authHeaders,
        querystring: transfersOfMessageQuerySchema,
        response: { 200: transferListResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const transfers = await withTenant(context.db, principal.tenantId, (tx) =>
        listTransfersOfMessage(tx, principal.tenantId, request.query.internetMessageId, principal.userId),
      );
      return { transfers };
    },
  );
};
