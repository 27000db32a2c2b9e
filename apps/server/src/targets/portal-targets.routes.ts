import {
  adminTargetListResponseSchema,
  adminTargetResponseSchema,
  connectionTestBodySchema,
  connectionTestResponseSchema,
  connectorListResponseSchema,
  connectorTypeParamsSchema,
  createdTargetResponseSchema,
  createTargetBodySchema,
  directorySearchQuerySchema,
  directorySearchResponseSchema,
  idParamsSchema,
  sharePointDriveListResponseSchema,
  sharePointFolderListResponseSchema,
  sharePointFoldersQuerySchema,
  sharePointSiteListResponseSchema,
  sharePointSiteParamsSchema,
  sharePointSitesQuerySchema,
  signingSecretResponseSchema,
  updateTargetBodySchema,
  visibilitySchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { connectorFor, describeConnectors } from '../connectors/connector-registry.js';
import { type Queryable, withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator, requireRole } from '../web-session/authenticate-session.js';
import type { PortalSession } from '../web-session/web-session.store.js';
import { listFolders, listSiteDrives, searchSites } from './browse-sharepoint.js';
import { listAdminTargets } from './list-admin-targets.js';
import { createTarget, deleteTarget, issueSigningSecret, updateTarget } from './save-target.js';
import { searchDirectory } from './search-directory.js';
import { setTargetVisibility } from './set-target-visibility.js';

const actorOf = (session: PortalSession) => ({ userId: session.userId, name: session.displayName });

/**
 * Portal API for targets: tenant administrators create, edit, test and delete them; user
 * administrators choose who sees them. Every change is audited and invalidates the caches.
 */
export const portalTargetsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['portal'];
  const preHandler = context.authenticateSession;
  const microsoftTenantIds = new Map<string, string>();

  async function graphOf(session: PortalSession) {
    let microsoftTenantId = microsoftTenantIds.get(session.tenantId);
    if (!microsoftTenantId) {
      const row = await withTenant(context.db, session.tenantId, (tx) =>
        tx.query<{ microsoft_tenant_id: string }>('select microsoft_tenant_id from tenants where id = $1', [
          session.tenantId,
        ]),
      );
      microsoftTenantId = row.rows[0]?.microsoft_tenant_id ?? '';
      microsoftTenantIds.set(session.tenantId, microsoftTenantId);
    }
    return context.graphFor(microsoftTenantId, { profile: 'request' });
  }

  /** Runs a change, then drops this process's caches (other servers hear of it by NOTIFY). */
  async function change<T>(session: PortalSession, work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await withTenant(context.db, session.tenantId, work);
    context.tenantConfig.invalidate(session.tenantId);
    return result;
  }

  app.get(
    '/portal/api/connectors',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The connectors a target can use, with their settings fields (administrators)',
        response: { 200: connectorListResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      requireAdministrator(request);
      return { connectors: describeConnectors() };
    },
  );

  app.post(
    '/portal/api/connectors/:type/test',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Test connection: can Mailissa write there with these settings? (tenant administrators)',
        params: connectorTypeParamsSchema,
        body: connectionTestBodySchema,
        response: { 200: connectionTestResponseSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const connector = connectorFor(request.params.type);
      const settings = connector.validateSettings(request.body.settings);
      return connector.testConnection(
        { graph: await graphOf(session), fetch: context.connectorFetch },
        settings,
      );
    },
  );

  app.get(
    '/portal/api/targets',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Every target with settings and visibility (administrators)',
        response: { 200: adminTargetListResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      return {
        targets: await withTenant(context.db, session.tenantId, (tx) =>
          listAdminTargets(tx, session.tenantId),
        ),
      };
    },
  );

  app.post(
    '/portal/api/targets',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Create a target; settings are checked by its connector (tenant administrators)',
        body: createTargetBodySchema,
        response: { 201: createdTargetResponseSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      const created = await change(session, async (tx) => {
        const target = await createTarget(
          tx,
          session.tenantId,
          actorOf(session),
          request.body,
          context.checkTargetUrl,
        );
        // A webhook's signing secret is made with it, in the same transaction, and shown this once.
        const signingSecret = connectorFor(target.connectorType).generateCredential
          ? await issueSigningSecret(tx, context.credentials, session.tenantId, actorOf(session), target.id)
          : undefined;
        return { target, ...(signingSecret ? { signingSecret } : {}) };
      });
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/portal/api/targets/:id/signing-secret',
    {
      preHandler,
      schema: {
        tags,
        summary: "Renew a webhook target's signing secret; the new one is shown once (tenant administrators)",
        params: idParamsSchema,
        response: { 200: signingSecretResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const signingSecret = await change(session, (tx) =>
        issueSigningSecret(tx, context.credentials, session.tenantId, actorOf(session), request.params.id),
      );
      return { signingSecret };
    },
  );

  app.patch(
    '/portal/api/targets/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Edit, disable or enable a target (tenant administrators)',
        params: idParamsSchema,
        body: updateTargetBodySchema,
        response: { 200: adminTargetResponseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const target = await change(session, (tx) =>
        updateTarget(
          tx,
          session.tenantId,
          actorOf(session),
          request.params.id,
          request.body,
          context.checkTargetUrl,
        ),
      );
      return { target };
    },
  );

  app.delete(
    '/portal/api/targets/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Delete a target; its transfer history stays (tenant administrators)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      await change(session, (tx) => deleteTarget(tx, session.tenantId, actorOf(session), request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/portal/api/targets/:id/visibility',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Who sees a target: everyone, or chosen users and groups (user administrators)',
        params: idParamsSchema,
        body: visibilitySchema,
        response: { 200: adminTargetResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      const target = await change(session, (tx) =>
        setTargetVisibility(tx, session.tenantId, actorOf(session), request.params.id, request.body),
      );
      return { target };
    },
  );

  app.get(
    '/portal/api/directory/search',
    {
      preHandler,
      schema: {
        tags,
        summary: "Search the organisation's users or groups in Microsoft 365 (user administrators)",
        querystring: directorySearchQuerySchema,
        response: { 200: directorySearchResponseSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      return searchDirectory(await graphOf(session), context.config.graphBaseUrl, request.query);
    },
  );

  app.get(
    '/portal/api/sharepoint/sites',
    {
      preHandler,
      schema: {
        tags,
        summary: 'SharePoint picker: search sites (tenant administrators)',
        querystring: sharePointSitesQuerySchema,
        response: { 200: sharePointSiteListResponseSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      return { sites: await searchSites(await graphOf(session), request.query.search) };
    },
  );

  app.get(
    '/portal/api/sharepoint/sites/:siteId/drives',
    {
      preHandler,
      schema: {
        tags,
        summary: "SharePoint picker: a site's document libraries (tenant administrators)",
        params: sharePointSiteParamsSchema,
        response: { 200: sharePointDriveListResponseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      return { drives: await listSiteDrives(await graphOf(session), request.params.siteId) };
    },
  );

  app.get(
    '/portal/api/sharepoint/folders',
    {
      preHandler,
      schema: {
        tags,
        summary: 'SharePoint picker: the folders in a library folder (tenant administrators)',
        querystring: sharePointFoldersQuerySchema,
        response: { 200: sharePointFolderListResponseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      return {
        folders: await listFolders(await graphOf(session), request.query.driveId, request.query.path),
      };
    },
  );
};
