import {
  dataFormatQuerySchema,
  erasureResponseSchema,
  myRightsSchema,
  objectionRequestSchema,
  processingSchema,
  subjectExportSchema,
} from '@mailissa/contracts';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireSession } from '../web-session/authenticate-session.js';
import { eraseUserData } from './erase-user-data.js';
import { exportUserData } from './export-user-data.js';
import {
  listObjections,
  loadUsageLogObjectors,
  recordObjection,
  withdrawObjection,
} from './processing-objections.js';
import { renderExportHtml } from './render-export-html.js';

interface Me {
  tenantId: string;
  userId: string;
  email: string;
  displayName: string;
}

/**
 * "Your data" for Microsoft 365 users, twice over the same operations: `/api/me/…` for the add-in
 * (bearer token) and `/portal/api/me/…` for the portal (cookie session).
 */
export const selfServiceRightsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const { db } = context;
  await loadUsageLogObjectors(db);

  const surfaces: {
    prefix: string;
    guard: preHandlerAsyncHookHandler;
    me(request: FastifyRequest): Me;
    tag: string;
  }[] = [
    {
      prefix: '/api/me',
      guard: context.authenticateUser,
      tag: 'rights',
      me(request) {
        const principal = requirePrincipal(request);
        return {
          tenantId: principal.tenantId,
          userId: principal.userId,
          email: principal.email,
          displayName: principal.claims.name || principal.email,
        };
      },
    },
    {
      prefix: '/portal/api/me',
      guard: context.authenticateSession,
      tag: 'portal',
      me(request) {
        const session = requireSession(request);
        return {
          tenantId: session.tenantId,
          userId: session.userId,
          email: session.email,
          displayName: session.displayName,
        };
      },
    },
  ];

  for (const surface of surfaces) {
    const security = surface.prefix === '/api/me' ? [{ bearer: [] }] : undefined;
    const base = { tags: [surface.tag], ...(security ? { security } : {}) };

    app.get(
      `${surface.prefix}/data`,
      {
        preHandler: surface.guard,
        schema: {
          ...base,
          summary: 'Everything Mailissa stores about me, as JSON (Art. 15, 20 GDPR)',
          response: { 200: subjectExportSchema, ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        const me = surface.me(request);
        const data = await exportUserData(
          db,
          { ...me, channel: 'self_service', actor: me.email, language: 'en' },
          context.now(),
        );
        reply.header('content-disposition', 'attachment; filename="mailissa-my-data.json"');
        return data;
      },
    );

    app.get(
      `${surface.prefix}/data.html`,
      {
        preHandler: surface.guard,
        schema: {
          ...base,
          summary: 'Everything Mailissa stores about me, as a readable page (EN/DE)',
          querystring: dataFormatQuerySchema.pick({ lang: true }),
        },
      },
      async (request, reply) => {
        const me = surface.me(request);
        const data = await exportUserData(
          db,
          { ...me, channel: 'self_service', actor: me.email, language: request.query.lang },
          context.now(),
        );
        return reply
          .type('text/html; charset=utf-8')
          .send(renderExportHtml(data, request.query.lang, request.cspNonce));
      },
    );

    app.delete(
      `${surface.prefix}/data`,
      {
        preHandler: surface.guard,
        schema: {
          ...base,
          summary: 'Delete my data (Art. 17 GDPR); what the law requires to keep is held and named',
          querystring: dataFormatQuerySchema.pick({ lang: true }),
          response: { 200: erasureResponseSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const me = surface.me(request);
        const erased = await eraseUserData(
          db,
          { ...me, channel: 'self_service', actor: me.email, language: request.query.lang },
          context.now(),
        );
        context.tenantConfig.invalidate(me.tenantId);
        return erased;
      },
    );

    app.get(
      `${surface.prefix}/rights`,
      {
        preHandler: surface.guard,
        schema: {
          ...base,
          summary: 'My restrictions and objections, and where my name and e-mail address come from',
          response: { 200: myRightsSchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const me = surface.me(request);
        const objections = await withTenant(db, me.tenantId, (tx) =>
          listObjections(tx, me.tenantId, me.userId),
        );
        return {
          objections: objections.map((row) => ({
            processing: row.processing,
            kind: row.kind,
            ...(row.reason ? { reason: row.reason } : {}),
            recordedAt: new Date(row.recorded_at).toISOString(),
          })),
          identitySource: 'microsoft_365' as const,
          email: me.email,
          displayName: me.displayName,
        };
      },
    );

    app.post(
      `${surface.prefix}/objections`,
      {
        preHandler: surface.guard,
        schema: {
          ...base,
          summary: 'Restrict or object to an optional processing (Art. 18, 21 GDPR)',
          body: objectionRequestSchema,
          response: { 204: z.null(), ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const me = surface.me(request);
        await withTenant(db, me.tenantId, (tx) =>
          recordObjection(
            tx,
            db,
            { tenantId: me.tenantId, userId: me.userId, ...request.body },
            context.now(),
          ),
        );
        return reply.status(204).send(null);
      },
    );

    app.delete(
      `${surface.prefix}/objections/:processing`,
      {
        preHandler: surface.guard,
        schema: {
          ...base,
          summary: 'Withdraw a restriction or objection',
          params: z.object({ processing: processingSchema }),
          response: { 204: z.null(), ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const me = surface.me(request);
        await withTenant(db, me.tenantId, (tx) =>
          withdrawObjection(tx, db, {
            tenantId: me.tenantId,
            userId: me.userId,
            processing: request.params.processing,
          }),
        );
        return reply.status(204).send(null);
      },
    );
  }
};
