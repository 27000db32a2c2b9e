import { tenantSettingsSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { announceTenantChangesOf } from '../targets/bump-tenant-config.js';
import { requireAdministrator, requireRole } from '../web-session/authenticate-session.js';
import { getTenantSettings } from './get-tenant-settings.js';
import { updateTenantSettings } from './update-tenant-settings.js';

/** The organisation's settings: any administrator reads them, tenant administrators change them. */
export const tenantSettingsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  announceTenantChangesOf(app, context);
  const defaultIdle = context.config.session.idleMinutes;
  app.get(
    '/portal/api/admin/settings',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "The organisation's settings (administrators)",
        response: { 200: tenantSettingsSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      return withTenant(context.db, session.tenantId, (tx) =>
        getTenantSettings(tx, session.tenantId, defaultIdle),
      );
    },
  );

  app.put(
    '/portal/api/admin/settings',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "Changes the organisation's settings (tenant administrators)",
        body: tenantSettingsSchema,
        response: { 200: tenantSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      return withTenant(context.db, session.tenantId, (tx) =>
        updateTenantSettings(
          tx,
          session.tenantId,
          { userId: session.userId, name: session.displayName },
          request.body,
          defaultIdle,
        ),
      );
    },
  );
};
