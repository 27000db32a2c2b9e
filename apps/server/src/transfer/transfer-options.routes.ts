import {
  conversationQuerySchema,
  conversationResponseSchema,
  createTargetFolderBodySchema,
  idParamsSchema,
  prepareTransferQuerySchema,
  prepareTransferResponseSchema,
  targetFoldersQuerySchema,
  targetFoldersResponseSchema,
  targetSuggestionsQuerySchema,
  targetSuggestionsResponseSchema,
  transferResponseSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/authenticate.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { connectorFor } from '../connectors/connector-registry.js';
import { withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireTransferLicence } from '../targets/require-transfer-licence.js';
import { requireVisibleTarget } from '../targets/require-visible-target.js';
import { cancelTransfer } from './cancel-transfer.js';
import { conversationMails } from './conversation-mails.js';
import { prepareTransfer } from './prepare-transfer.js';
import { retryTransfer } from './retry-transfer.js';
import { suggestTargets } from './suggest-targets.js';

const authHeaders = z.object({ authorization: z.string().optional() });

/** Choices before sending, folders below a target, suggestions, cancel and retry (issue 10). */
export const transferOptionsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const graphFor = tenantGraphFactory(context.config);
  const requestGraph = (principal: Principal) =>
    graphFor(principal.microsoftTenantId, { profile: 'request' });

  /** The target's connector and settings, if the user may see the target and it can list folders. */
  async function folderTarget(principal: Principal, targetId: string) {
    const target = await requireVisibleTarget(
      context.db,
      principal.tenantId,
      targetId,
      principal,
      context.memberships,
    );
    const connector = connectorFor(target.connector_type);
    if (!connector.listFolders || !connector.createFolder) {
      throw new AppError(409, 'folders_not_supported', 'This target has no folders to choose from.');
    }
    return { connector, settings: connector.validateSettings(target.settings) };
  }

  app.get(
    '/api/transfers/prepare',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'What the add-in offers before sending a mail to a target',
        description:
          'The attachments with the default choice (inline images off), the file name from the target template, ' +
          'whether folders can be browsed, and earlier transfers of this very mail to this target.',
        security: [{ bearer: [] }],
        headers: authHeaders,
        querystring: prepareTransferQuerySchema,
        response: { 200: prepareTransferResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return prepareTransfer(
        { db: context.db, graph: requestGraph(principal), memberships: context.memberships },
        principal,
        request.query,
      );
    },
  );

  app.get(
    '/api/transfers/conversation',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'The mails of the conversation a mail of yours belongs to, to transfer them all',
        description:
          'Read from your own mailbox (every folder), oldest first, drafts left out, at most 100. ' +
          'The add-in then creates one transfer per mail.',
        security: [{ bearer: [] }],
        headers: authHeaders,
        querystring: conversationQuerySchema,
        response: { 200: conversationResponseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await withTenant(context.db, principal.tenantId, (tx) =>
        requireTransferLicence(tx, principal.tenantId, principal.userId),
      );
      return conversationMails(requestGraph(principal), principal, request.query.messageId);
    },
  );

  app.post(
    '/api/transfers/:id/cancel',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'Cancel your queued or running transfer; what it wrote is deleted',
        security: [{ bearer: [] }],
        headers: authHeaders,
        params: idParamsSchema,
        response: { 200: transferResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const transfer = await cancelTransfer(
        { db: context.db, graph: requestGraph(principal), fetch: context.connectorFetch, now: context.now },
        principal,
        request.params.id,
      );
      return { transfer };
    },
  );

  app.post(
    '/api/transfers/:id/retry',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'Queue your failed or cancelled transfer again, with the same choices',
        security: [{ bearer: [] }],
        headers: authHeaders,
        params: idParamsSchema,
        response: { 200: transferResponseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const transfer = await retryTransfer(
        { db: context.db, jobs: context.jobs },
        principal,
        request.params.id,
      );
      return { transfer };
    },
  );

  app.get(
    '/api/targets/suggestions',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'Targets suggested for a mail: same conversation, sender, domain, then your recent ones',
        security: [{ bearer: [] }],
        headers: authHeaders,
        querystring: targetSuggestionsQuerySchema,
        response: { 200: targetSuggestionsResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const suggestions = await withTenant(context.db, principal.tenantId, (tx) =>
        suggestTargets(tx, principal.tenantId, principal.userId, request.query, context.now()),
      );
      return { suggestions };
    },
  );

  app.get(
    '/api/targets/:id/folders',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: "The folders directly below a path of the target's folder",
        security: [{ bearer: [] }],
        headers: authHeaders,
        params: idParamsSchema,
        querystring: targetFoldersQuerySchema,
        response: { 200: targetFoldersResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { connector, settings } = await folderTarget(principal, request.params.id);
      const folders =
        (await connector.listFolders?.(
          { graph: requestGraph(principal), fetch: context.connectorFetch },
          settings,
          request.query.path,
        )) ?? [];
      return { folders };
    },
  );

  app.post(
    '/api/targets/:id/folders',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: "Create a folder below the target's folder (and the folders above it)",
        security: [{ bearer: [] }],
        headers: authHeaders,
        params: idParamsSchema,
        body: createTargetFolderBodySchema,
        response: { 201: targetFoldersResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await withTenant(context.db, principal.tenantId, (tx) =>
        requireTransferLicence(tx, principal.tenantId, principal.userId),
      );
      const { connector, settings } = await folderTarget(principal, request.params.id);
      const connectorContext = { graph: requestGraph(principal), fetch: context.connectorFetch };
      await connector.createFolder?.(connectorContext, settings, request.body.path);
      const parent = request.body.path.split('/').slice(0, -1).join('/');
      const folders = (await connector.listFolders?.(connectorContext, settings, parent)) ?? [];
      return reply.status(201).send({ folders });
    },
  );
};
