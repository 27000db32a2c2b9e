import {
  idParamsSchema,
  recentTransfersQuerySchema,
  targetColumnsResponseSchema,
  targetTransferOptionsResponseSchema,
  targetTransferOptionsSchema,
  transferListResponseSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { connectorFor } from '../connectors/connector-registry.js';
import { withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator, requireRole } from '../web-session/authenticate-session.js';
import type { PortalSession } from '../web-session/web-session.store.js';
import { getTargetTransferOptions } from './get-target-transfer-options.js';
import { listRecentTransfers } from './list-recent-transfers.js';
import { columnsOf, requireAdminTarget, saveTransferOptions } from './target-transfer-options.js';

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

  /** Graph for the session's Microsoft tenant, app-only as the portal's pickers use it. */
  async function graphOf(session: PortalSession) {
    const row = await withTenant(context.db, session.tenantId, (tx) =>
      tx.query<{ microsoft_tenant_id: string }>('select microsoft_tenant_id from tenants where id = $1', [
        session.tenantId,
      ]),
    );
    return context.graphFor(row.rows[0]?.microsoft_tenant_id ?? '', { profile: 'request' });
  }

  app.get(
    '/portal/api/targets/:id/transfer-options',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "A target's file name template, filed marker and column mapping (administrators)",
        params: idParamsSchema,
        response: { 200: targetTransferOptionsResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      const target = await requireAdminTarget(context.db, session.tenantId, request.params.id);
      const options = await withTenant(context.db, session.tenantId, (tx) =>
        getTargetTransferOptions(tx, session.tenantId, target.id),
      );
      return { options, fieldMapping: Boolean(connectorFor(target.connector_type).listColumns) };
    },
  );

  app.put(
    '/portal/api/targets/:id/transfer-options',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary:
          "Set a target's file name template, filed marker and column mapping; the mapping is checked " +
          "against the library's columns (tenant administrators)",
        params: idParamsSchema,
        body: targetTransferOptionsSchema,
        response: {
          200: targetTransferOptionsResponseSchema,
          ...errorResponses(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const target = await requireAdminTarget(context.db, session.tenantId, request.params.id);
      const connector = connectorFor(target.connector_type);
      if (Object.keys(request.body.columnMapping).length > 0 && !connector.listColumns) {
        throw new AppError(
          409,
          'field_mapping_not_supported',
          'This target has no columns to write mail fields into.',
        );
      }
      const options = await saveTransferOptions(
        {
          db: context.db,
          now: context.now,
          columns: async () =>
            (await columnsOf(target, { graph: await graphOf(session), fetch: context.connectorFetch }))
              .columns,
        },
        session.tenantId,
        { userId: session.userId, name: session.displayName },
        target,
        request.body,
      );
      return { options, fieldMapping: Boolean(connector.listColumns) };
    },
  );

  app.get(
    '/portal/api/targets/:id/columns',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary:
          "The columns of a SharePoint target's library, for the column mapping (tenant administrators)",
        params: idParamsSchema,
        response: { 200: targetColumnsResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const target = await requireAdminTarget(context.db, session.tenantId, request.params.id);
      const { columns } = await columnsOf(target, {
        graph: await graphOf(session),
        fetch: context.connectorFetch,
      });
      return { columns };
    },
  );
};
