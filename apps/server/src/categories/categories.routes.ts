import {
  categoryBodySchema,
  categoryListResponseSchema,
  categoryOrderBodySchema,
  categoryResponseSchema,
  idParamsSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { type Queryable, withTenant } from '../db/database.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireAdministrator, requireRole } from '../web-session/authenticate-session.js';
import type { PortalSession } from '../web-session/web-session.store.js';
import {
  createCategory,
  deleteCategory,
  listCategories,
  reorderCategories,
  updateCategory,
} from './save-category.js';

/** Portal API for categories (Transfer: grouping of targets; Team: later). Tenant administrators. */
export const categoriesRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['portal'];
  const preHandler = context.authenticateSession;
  const actorOf = (session: PortalSession) => ({ userId: session.userId, name: session.displayName });
  async function change<T>(session: PortalSession, work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await withTenant(context.db, session.tenantId, work);
    context.tenantConfig.invalidate(session.tenantId);
    return result;
  }

  app.get(
    '/portal/api/categories',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The categories of both modules, in order (administrators)',
        response: { 200: categoryListResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireAdministrator(request);
      return {
        categories: await withTenant(context.db, session.tenantId, (tx) =>
          listCategories(tx, session.tenantId),
        ),
      };
    },
  );

  app.post(
    '/portal/api/categories',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Create a category with an Outlook colour preset (tenant administrators)',
        body: categoryBodySchema,
        response: { 201: categoryResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      const category = await change(session, (tx) =>
        createCategory(tx, session.tenantId, actorOf(session), request.body),
      );
      return reply.status(201).send({ category });
    },
  );

  app.put(
    '/portal/api/categories/order',
    {
      preHandler,
      schema: {
        tags,
        summary: "Reorder one module's categories (tenant administrators)",
        body: categoryOrderBodySchema,
        response: { 200: categoryListResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const categories = await change(session, (tx) =>
        reorderCategories(tx, session.tenantId, actorOf(session), request.body.module, request.body.ids),
      );
      return { categories };
    },
  );

  app.patch(
    '/portal/api/categories/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Rename, recolour or move a category (tenant administrators)',
        params: idParamsSchema,
        body: categoryBodySchema,
        response: { 200: categoryResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const category = await change(session, (tx) =>
        updateCategory(tx, session.tenantId, actorOf(session), request.params.id, request.body),
      );
      return { category };
    },
  );

  app.delete(
    '/portal/api/categories/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Delete a category; its targets stay without one (tenant administrators)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const session = requireRole(request, 'tenant_administrator');
      await change(session, (tx) =>
        deleteCategory(tx, session.tenantId, actorOf(session), request.params.id),
      );
      return reply.status(204).send(null);
    },
  );
};
