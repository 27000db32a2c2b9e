import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { deterministicGuid } from '../seed/deterministic-id.js';
import { PERMISSIONS } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { mailboxOwnerOf, requirePermission, sendGraphJson } from './graph-request.js';

const COLORS = ['none', ...Array.from({ length: 25 }, (_, i) => `preset${i}`)] as const;
const color = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(COLORS));

interface OutlookCategory {
  id: string;
  displayName: string;
  color: (typeof COLORS)[number];
}

/** Outlook's default master list, which every new mailbox starts with. */
const DEFAULTS: Array<[string, OutlookCategory['color']]> = [
  ['Red category', 'preset0'],
  ['Orange category', 'preset1'],
  ['Yellow category', 'preset3'],
  ['Green category', 'preset4'],
  ['Blue category', 'preset7'],
  ['Purple category', 'preset8'],
];

const userParams = z.object({ user: z.string().min(1).max(320) });
const categoryParams = z.object({ category: z.string().min(1).max(64) });
const userCategoryParams = categoryParams.extend({ user: z.string().min(1).max(320) });
const createBody = z.object({ displayName: z.string().min(1).max(255), color: color.optional() });
const patchBody = z.looseObject({ color, displayName: z.never().optional() });

/**
 * `/me/outlook/masterCategories` (docs/microsoft-365.md §5.8), per mailbox in memory: enough for the Team
 * feature to create its tenant-wide categories and for Outlook's colours to show in the emulator.
 */
export const masterCategoryRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const lists = new Map<string, OutlookCategory[]>();
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  function listOf(
    request: FastifyRequest,
    userKey: string | undefined,
    write: boolean,
  ): { ownerId: string; list: OutlookCategory[] } {
    const { principal, ownerId, shared } = mailboxOwnerOf(context, request, userKey);
    // Another mailbox's settings stay out of reach of delegated tokens, shared or not (§5.11).
    if (shared) {
      throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    }
    requirePermission(
      principal,
      write ? PERMISSIONS.writeMailboxSettings : PERMISSIONS.readMailboxSettings,
      'mail',
    );
    let list = lists.get(ownerId);
    if (!list) {
      list = DEFAULTS.map(([displayName, preset]) => ({
        id: deterministicGuid(`category:${ownerId}:${displayName}`),
        displayName,
        color: preset,
      }));
      lists.set(ownerId, list);
    }
    return { ownerId, list };
  }

  const find = (list: OutlookCategory[], id: string) => {
    const category = list.find((c) => c.id === id.toLowerCase());
    if (!category)
      throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return category;
  };

  const contextUrl = (ownerId: string) =>
    `${context.graphBase}/$metadata#users('${ownerId}')/outlook/masterCategories`;

  const handlers = {
    list: (request: FastifyRequest, reply: FastifyReply, userKey?: string) => {
      const { ownerId, list } = listOf(request, userKey, false);
      return sendGraphJson(reply, { '@odata.context': contextUrl(ownerId), value: list });
    },
    create: (
      request: FastifyRequest,
      reply: FastifyReply,
      body: z.infer<typeof createBody>,
      userKey?: string,
    ) => {
      const { ownerId, list } = listOf(request, userKey, true);
      if (list.some((c) => c.displayName.toLowerCase() === body.displayName.toLowerCase())) {
        throw new GraphError(
          409,
          'ErrorDuplicateMasterCategory',
          `A category named '${body.displayName}' already exists.`,
        );
      }
      const category: OutlookCategory = {
        id: randomUUID(),
        displayName: body.displayName,
        color: body.color ?? 'none',
      };
      list.push(category);
      return sendGraphJson(reply, { '@odata.context': `${contextUrl(ownerId)}/$entity`, ...category }, 201);
    },
    get: (request: FastifyRequest, reply: FastifyReply, id: string, userKey?: string) => {
      const { ownerId, list } = listOf(request, userKey, false);
      return sendGraphJson(reply, { '@odata.context': `${contextUrl(ownerId)}/$entity`, ...find(list, id) });
    },
    patch: (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      body: z.infer<typeof patchBody>,
      userKey?: string,
    ) => {
      const { ownerId, list } = listOf(request, userKey, true);
      const category = find(list, id);
      category.color = body.color;
      return sendGraphJson(reply, { '@odata.context': `${contextUrl(ownerId)}/$entity`, ...category });
    },
    remove: (request: FastifyRequest, reply: FastifyReply, id: string, userKey?: string) => {
      const { list } = listOf(request, userKey, true);
      list.splice(list.indexOf(find(list, id)), 1);
      return reply.status(204).send();
    },
  };

  const base = '/outlook/masterCategories';
  app.get(
    `/me${base}`,
    { schema: { ...schemaBase, summary: 'Graph: master categories of the signed-in user' } },
    (q, r) => handlers.list(q, r),
  );
  app.get(
    `/users/:user${base}`,
    { schema: { ...schemaBase, summary: "Graph: a user's master categories", params: userParams } },
    (q, r) => handlers.list(q, r, q.params.user),
  );
  app.post(
    `/me${base}`,
    { schema: { ...schemaBase, summary: 'Graph: create a master category', body: createBody } },
    (q, r) => handlers.create(q, r, q.body),
  );
  app.post(
    `/users/:user${base}`,
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: create a master category for a user',
        params: userParams,
        body: createBody,
      },
    },
    (q, r) => handlers.create(q, r, q.body, q.params.user),
  );
  app.get(
    `/me${base}/:category`,
    { schema: { ...schemaBase, summary: 'Graph: a master category', params: categoryParams } },
    (q, r) => handlers.get(q, r, q.params.category),
  );
  app.get(
    `/users/:user${base}/:category`,
    { schema: { ...schemaBase, summary: "Graph: a user's master category", params: userCategoryParams } },
    (q, r) => handlers.get(q, r, q.params.category, q.params.user),
  );
  app.patch(
    `/me${base}/:category`,
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: change the colour of a master category',
        params: categoryParams,
        body: patchBody,
      },
    },
    (q, r) => handlers.patch(q, r, q.params.category, q.body),
  );
  app.patch(
    `/users/:user${base}/:category`,
    {
      schema: {
        ...schemaBase,
        summary: "Graph: change a user's master category colour",
        params: userCategoryParams,
        body: patchBody,
      },
    },
    (q, r) => handlers.patch(q, r, q.params.category, q.body, q.params.user),
  );
  app.delete(
    `/me${base}/:category`,
    { schema: { ...schemaBase, summary: 'Graph: delete a master category', params: categoryParams } },
    (q, r) => handlers.remove(q, r, q.params.category),
  );
  app.delete(
    `/users/:user${base}/:category`,
    {
      schema: {
        ...schemaBase,
        summary: "Graph: delete a user's master category",
        params: userCategoryParams,
      },
    },
    (q, r) => handlers.remove(q, r, q.params.category, q.params.user),
  );
};
