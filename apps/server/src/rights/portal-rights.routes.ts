import {
  erasureResponseSchema,
  idParamsSchema,
  listRightsRequestsResponseSchema,
  subjectExportSchema,
  tenancyStatusSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireRole } from '../web-session/authenticate-session.js';
import { findTenancyEnding, requestTenancyEnd, withdrawTenancyEnd } from './end-tenancy.js';
import { eraseUserData } from './erase-user-data.js';
import { exportSubjectData } from './export-subject-data.js';
import { exportUserData } from './export-user-data.js';
import { listRightsRequests } from './list-rights-requests.js';
import { previewTenancyDeletion } from './preview-tenancy-deletion.js';

const langQuery = z.object({ lang: z.enum(['en', 'de']).default('en') });

/**
 * A customer's administrators: export and erase a departed employee's data, see the requests that
 * concern their users, and end the tenancy (export its configuration and history first).
 */
export const portalRightsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const { db, config } = context;
  app.addHook('preHandler', context.authenticateSession);

  app.get(
    '/portal/api/users/:id/data',
    {
      schema: {
        tags: ['portal'],
        summary: "Export a user's data (user administrators), e.g. for a departed employee",
        params: idParamsSchema,
        querystring: langQuery,
        response: { 200: subjectExportSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      return exportUserData(
        db,
        {
          tenantId: session.tenantId,
          userId: request.params.id,
          channel: 'administrator',
          actor: session.email,
          language: request.query.lang,
        },
        context.now(),
      );
    },
  );

  app.delete(
    '/portal/api/users/:id/data',
    {
      schema: {
        tags: ['portal'],
        summary:
          "Erase a user's data (user administrators); audit entries keep the change with the name removed",
        params: idParamsSchema,
        querystring: langQuery,
        response: { 200: erasureResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      const erased = await eraseUserData(
        db,
        {
          tenantId: session.tenantId,
          userId: request.params.id,
          channel: 'administrator',
          actor: session.email,
          language: request.query.lang,
        },
        context.now(),
      );
      context.tenantConfig.invalidate(session.tenantId);
      return erased;
    },
  );

  app.get(
    '/portal/api/rights-requests',
    {
      schema: {
        tags: ['portal'],
        summary: "Data-subject requests concerning the organisation's users (user administrators)",
        response: { 200: listRightsRequestsResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      return {
        requests: await withTenant(db, session.tenantId, (tx) =>
          listRightsRequests(tx, context.now(), { tenantId: session.tenantId }),
        ),
      };
    },
  );

  app.get(
    '/portal/api/tenancy',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Whether the tenancy is ending, when its data is deleted, and what that deletes and keeps (tenant administrators)',
        response: { 200: tenancyStatusSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      return withTenant(db, session.tenantId, async (tx) => ({
        ending: await findTenancyEnding(tx, session.tenantId),
        deletionDays: config.rights.tenancyDeletionDays,
        preview: await previewTenancyDeletion(tx, session.tenantId),
      }));
    },
  );

  app.get(
    '/portal/api/tenancy/export',
    {
      schema: {
        tags: ['portal'],
        summary: "Export the organisation's configuration and history (tenant administrators)",
        response: { 200: subjectExportSchema, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      const data = await withTenant(db, session.tenantId, (tx) =>
        exportSubjectData(tx, { by: 'tenantId', value: session.tenantId }, context.now()),
      );
      reply.header('content-disposition', 'attachment; filename="mailissa-organisation.json"');
      return data;
    },
  );

  app.post(
    '/portal/api/tenancy/end',
    {
      schema: {
        tags: ['portal'],
        summary: "End the tenancy: the organisation's data is deleted after the stated period",
        response: { 200: tenancyStatusSchema, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const days = config.rights.tenancyDeletionDays;
      const ending = await withTenant(db, session.tenantId, async (tx) => {
        await requestTenancyEnd(tx, session.tenantId, session.userId, context.now(), days);
        return findTenancyEnding(tx, session.tenantId);
      });
      return { ending, deletionDays: days };
    },
  );

  app.delete(
    '/portal/api/tenancy/end',
    {
      schema: {
        tags: ['portal'],
        summary: 'Withdraw the end of the tenancy before its data is deleted',
        response: { 200: tenancyStatusSchema, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      await withTenant(db, session.tenantId, (tx) => withdrawTenancyEnd(tx, session.tenantId));
      return { ending: null, deletionDays: config.rights.tenancyDeletionDays };
    },
  );
};
