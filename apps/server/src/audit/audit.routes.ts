import { auditPageSchema, auditQuerySchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator } from '../web-session/authenticate-session.js';
import { auditEventsToCsv } from './audit-csv.js';
import { listAuditEvents, listAuditEventsForExport } from './list-audit-events.js';

const exportQuerySchema = auditQuerySchema.omit({ page: true, pageSize: true });

/** The audit log in the portal: a filtered, paged list and the same filter as a CSV download. */
export const auditRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/portal/api/admin/audit',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: 'The audit log, newest first, filtered by person, action and time (administrators)',
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      return withTenant(context.db, session.tenantId, (tx) =>
        listAuditEvents(tx, session.tenantId, request.query),
      );
    },
  );

  app.get(
    '/portal/api/admin/audit.csv',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: 'The audit log as CSV with the same filters (administrators)',
        description:
          'Cells that a spreadsheet would run as a formula (= + - @) are prefixed with an apostrophe.',
        querystring: exportQuerySchema,
        produces: ['text/csv'],
        response: { 200: z.string(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const session = requireAdministrator(request);
      const events = await withTenant(context.db, session.tenantId, (tx) =>
        listAuditEventsForExport(tx, session.tenantId, request.query),
      );
      const day = context.now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="mailissa-audit-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(auditEventsToCsv(events));
    },
  );
};
