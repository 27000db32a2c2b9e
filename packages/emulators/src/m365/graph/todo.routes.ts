import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import type { TodoLinkedResource, TodoListRecord, TodoTaskRecord } from './collaboration-store.js';
import { hasPermission, PERMISSIONS } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { mailboxOwnerOf, queryOf, sendGraphJson } from './graph-request.js';

const linkedResourceBody = z.looseObject({
  webUrl: z.string().max(4000).nullable().optional(),
  applicationName: z.string().min(1).max(200),
  displayName: z.string().max(400).nullable().optional(),
  externalId: z.string().max(400).nullable().optional(),
});

const taskBody = z.looseObject({
  title: z.string().max(255),
  body: z
    .looseObject({ content: z.string().max(100_000), contentType: z.enum(['text', 'html']).optional() })
    .optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
  status: z.enum(['notStarted', 'inProgress', 'completed', 'waitingOnOthers', 'deferred']).optional(),
  categories: z.array(z.string().max(255)).max(25).optional(),
  linkedResources: z.array(linkedResourceBody).max(20).optional(),
});

const listBody = z.looseObject({ displayName: z.string().min(1).max(255) });

const etagOf = (id: string, version: number) =>
  `W/"${Buffer.from(`${id.slice(-12)}:${version}`).toString('base64')}"`;

/**
 * Microsoft To Do (docs/microsoft-365.md §7.3): a user's task lists, their tasks and each task's
 * linked resources. A delegated caller reaches only their own lists (as for mailboxes).
 */
export const todoRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (app, { context }) => {
  const store = context.collaboration;
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  function ownerOf(request: FastifyRequest, userKey: string | undefined, write: boolean): string {
    const { principal, ownerId } = mailboxOwnerOf(context, request, userKey);
    if (!hasPermission(principal, write ? PERMISSIONS.writeTodo : PERMISSIONS.readTodo)) {
      throw new GraphError(403, 'Forbidden', 'Missing scope permissions on the request.');
    }
    return ownerId;
  }

  function listOf(ownerId: string, listId: string): TodoListRecord {
    const list = store.todoListsOf(ownerId).find((l) => l.id === listId);
    if (!list) {
      throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    return list;
  }

  const listJson = (list: TodoListRecord) => ({
    '@odata.etag': etagOf(list.id, 1),
    displayName: list.displayName,
    isOwner: true,
    isShared: false,
    wellknownListName: list.wellknownListName,
    id: list.id,
  });

  const linkedJson = (resource: TodoLinkedResource) => ({ ...resource });

  const taskJson = (task: TodoTaskRecord, withLinks: boolean) => ({
    '@odata.etag': etagOf(task.id, task.version),
    importance: task.importance,
    isReminderOn: false,
    status: task.status,
    title: task.title,
    createdDateTime: task.createdDateTime,
    lastModifiedDateTime: task.lastModifiedDateTime,
    hasAttachments: false,
    categories: task.categories,
    id: task.id,
    body: task.body,
    ...(withLinks ? { linkedResources: task.linkedResources.map(linkedJson) } : {}),
  });

  const base = (userKey: string | undefined) =>
    userKey === undefined ? `${context.graphBase}/me` : `${context.graphBase}/users('${userKey}')`;

  async function getLists(request: FastifyRequest, reply: FastifyReply, userKey: string | undefined) {
    const owner = ownerOf(request, userKey, false);
    const lists = store.todoListsOf(owner);
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${owner}')/todo/lists`,
      value: lists.map(listJson),
    });
  }

  async function createList(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    body: z.infer<typeof listBody>,
  ) {
    const owner = ownerOf(request, userKey, true);
    const lists = store.todoListsOf(owner);
    const list: TodoListRecord = {
      id: `AAMk${Buffer.from(`${owner}:${lists.length}:${store.stamp()}`).toString('base64url')}`,
      ownerId: owner,
      displayName: body.displayName,
      wellknownListName: 'none',
    };
    lists.push(list);
    return sendGraphJson(
      reply,
      {
        '@odata.context': `${context.graphBase}/$metadata#users('${owner}')/todo/lists/$entity`,
        ...listJson(list),
      },
      201,
    );
  }

  async function getTasks(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    listId: string,
  ) {
    const owner = ownerOf(request, userKey, false);
    const list = listOf(owner, listId);
    const expand = (queryOf(request).$expand ?? '').toLowerCase() === 'linkedresources';
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${owner}')/todo/lists('${list.id}')/tasks`,
      value: store.todoTasksOf(list.id).map((task) => taskJson(task, expand)),
    });
  }

  async function createTask(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    listId: string,
    body: z.infer<typeof taskBody>,
  ) {
    const owner = ownerOf(request, userKey, true);
    const list = listOf(owner, listId);
    if (body.title.trim() === '') throw new GraphError(400, 'invalidRequest', 'The title must not be empty.');
    const task = store.addTodoTask({
      listId: list.id,
      title: body.title,
      body: { contentType: body.body?.contentType ?? 'text', content: body.body?.content ?? '' },
      importance: body.importance ?? 'normal',
      status: body.status ?? 'notStarted',
      categories: body.categories ?? [],
      linkedResources: (body.linkedResources ?? []).map((resource) => ({
        id: store.newLinkedResourceId(),
        webUrl: resource.webUrl ?? null,
        applicationName: resource.applicationName,
        displayName: resource.displayName ?? null,
        externalId: resource.externalId ?? null,
      })),
    });
    return sendGraphJson(
      reply,
      {
        '@odata.context': `${context.graphBase}/$metadata#users('${owner}')/todo/lists('${list.id}')/tasks/$entity`,
        ...taskJson(task, true),
      },
      201,
    );
  }

  function taskOf(
    request: FastifyRequest,
    userKey: string | undefined,
    listId: string,
    taskId: string,
    write: boolean,
  ) {
    const owner = ownerOf(request, userKey, write);
    const list = listOf(owner, listId);
    const task = store.todoTask(list.id, taskId);
    if (!task) {
      throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    return { owner, list, task };
  }

  const userParams = z.object({ user: z.string().min(1).max(320) });
  const listParams = z.object({ list: z.string().min(1).max(400) });
  const taskParams = listParams.extend({ task: z.string().min(1).max(400) });

  for (const prefix of ['/me', '/users/:user'] as const) {
    const mine = prefix === '/me';
    const keyOf = (params: unknown) => (mine ? undefined : (params as { user: string }).user);
    const withUser = <T extends z.ZodObject>(schema: T) => (mine ? schema : schema.extend(userParams.shape));
    app.get(
      `${prefix}/todo/lists`,
      {
        schema: {
          ...schemaBase,
          summary: `Graph: To Do lists of ${mine ? 'the signed-in user' : 'a user'}`,
          ...(mine ? {} : { params: userParams }),
        },
      },
      (request, reply) => getLists(request, reply, keyOf(request.params)),
    );
    app.post(
      `${prefix}/todo/lists`,
      {
        schema: {
          ...schemaBase,
          summary: 'Graph: create a To Do list',
          ...(mine ? {} : { params: userParams }),
          body: listBody,
        },
      },
      (request, reply) => createList(request, reply, keyOf(request.params), request.body),
    );
    app.get(
      `${prefix}/todo/lists/:list/tasks`,
      {
        schema: {
          ...schemaBase,
          summary: 'Graph: tasks of a To Do list ($expand=linkedResources)',
          params: withUser(listParams),
        },
      },
      (request, reply) =>
        getTasks(request, reply, keyOf(request.params), (request.params as { list: string }).list),
    );
    app.post(
      `${prefix}/todo/lists/:list/tasks`,
      {
        schema: {
          ...schemaBase,
          summary: 'Graph: create a To Do task (with linked resources)',
          params: withUser(listParams),
          body: taskBody,
        },
      },
      (request, reply) =>
        createTask(
          request,
          reply,
          keyOf(request.params),
          (request.params as { list: string }).list,
          request.body,
        ),
    );
    app.get(
      `${prefix}/todo/lists/:list/tasks/:task`,
      { schema: { ...schemaBase, summary: 'Graph: a To Do task', params: withUser(taskParams) } },
      async (request, reply) => {
        const params = request.params as { list: string; task: string };
        const { task } = taskOf(request, keyOf(request.params), params.list, params.task, false);
        const expand = (queryOf(request).$expand ?? '').toLowerCase() === 'linkedresources';
        return sendGraphJson(reply, taskJson(task, expand));
      },
    );
    app.delete(
      `${prefix}/todo/lists/:list/tasks/:task`,
      { schema: { ...schemaBase, summary: 'Graph: delete a To Do task', params: withUser(taskParams) } },
      async (request, reply) => {
        const params = request.params as { list: string; task: string };
        const { task } = taskOf(request, keyOf(request.params), params.list, params.task, true);
        store.deleteTodoTask(task.id);
        return reply.status(204).send();
      },
    );
    app.get(
      `${prefix}/todo/lists/:list/tasks/:task/linkedResources`,
      {
        schema: {
          ...schemaBase,
          summary: "Graph: a To Do task's linked resources",
          params: withUser(taskParams),
        },
      },
      async (request, reply) => {
        const params = request.params as { list: string; task: string };
        const { owner, list, task } = taskOf(request, keyOf(request.params), params.list, params.task, false);
        return sendGraphJson(reply, {
          '@odata.context': `${base(mine ? undefined : owner)}/todo/lists('${list.id}')/tasks('${task.id}')/linkedResources`,
          value: task.linkedResources.map(linkedJson),
        });
      },
    );
  }
};
