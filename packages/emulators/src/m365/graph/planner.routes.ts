import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import type { SeedPlan } from '../seed/collaboration-seed.js';
import type { PlannerReference, PlannerTaskRecord } from './collaboration-store.js';
import { type GraphPrincipal, PERMISSIONS } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { principalOf, requirePermission, sendGraphJson } from './graph-request.js';

const idParam = z.string().min(1).max(100);

const taskBody = z.looseObject({
  planId: z.string().min(1).max(100),
  bucketId: z.string().min(1).max(100).nullable().optional(),
  title: z.string().max(255),
  assignments: z.record(z.string(), z.unknown()).optional(),
});

const referenceValue = z
  .looseObject({
    '@odata.type': z.string().max(100).optional(),
    alias: z.string().max(400).nullable().optional(),
    type: z.string().max(100).nullable().optional(),
    previewPriority: z.string().max(100).nullable().optional(),
  })
  .nullable();

const detailsBody = z.looseObject({
  description: z.string().max(32_000).optional(),
  previewType: z.enum(['automatic', 'noPreview', 'checklist', 'description', 'reference']).optional(),
  references: z.record(z.string().max(2100), referenceValue).optional(),
});

/** Planner's etags: weak, base64 of a quoted version, e.g. W/"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=". */
const etagOf = (kind: string, id: string, version: number) =>
  `W/"${Buffer.from(`'${version}-${kind} ${id.slice(0, 8)}'`).toString('base64')}"`;

/**
 * The reference keys of plannerTaskDetails are URLs with `%`, `.`, `:`, `@` and `#` percent-encoded
 * (docs/microsoft-365.md §7.2). A key with one of them raw is refused, as Planner does.
 */
export function decodeReferenceKey(key: string): string | undefined {
  if (/[.:@#]/.test(key)) return undefined;
  try {
    return decodeURIComponent(key);
  } catch {
    return undefined;
  }
}

export function encodeReferenceKey(url: string): string {
  return url
    .replaceAll('%', '%25')
    .replaceAll('.', '%2E')
    .replaceAll(':', '%3A')
    .replaceAll('@', '%40')
    .replaceAll('#', '%23');
}

/**
 * Planner (docs/microsoft-365.md §7.2): plans of Microsoft 365 groups, their buckets, tasks and task
 * details with etags. A delegated caller reaches only plans of groups they belong to (403 otherwise).
 */
export const plannerRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const store = context.collaboration;
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  const forbidden = () =>
    new GraphError(
      403,
      'Forbidden',
      'You do not have the required permissions to access this item, or the item may not exist.',
    );

  function planFor(principal: GraphPrincipal, planId: string, write: boolean): SeedPlan {
    requirePermission(principal, write ? PERMISSIONS.writePlanner : PERMISSIONS.readPlanner, 'planner');
    const plan = store.plan(principal.tenantId, planId);
    if (!plan) throw new GraphError(404, 'NotFound', 'The requested item is not found.');
    if (
      principal.kind === 'delegated' &&
      !context.directory
        .transitiveGroupsOf(principal.tenantId, principal.userId)
        .some((group) => group.id === plan.groupId)
    ) {
      throw forbidden();
    }
    return plan;
  }

  function taskFor(principal: GraphPrincipal, taskId: string, write: boolean): PlannerTaskRecord {
    const task = store.task(taskId);
    const plan = task ? store.plan(principal.tenantId, task.planId) : undefined;
    if (!task || !plan) {
      requirePermission(principal, PERMISSIONS.readPlanner, 'planner');
      throw new GraphError(404, 'NotFound', 'The requested item is not found.');
    }
    planFor(principal, plan.id, write);
    return task;
  }

  const planJson = (plan: SeedPlan) => ({
    '@odata.etag': etagOf('Plan', plan.id, 1),
    createdDateTime: '2026-01-05T08:00:00Z',
    owner: plan.groupId,
    title: plan.title,
    id: plan.id,
    createdBy: { user: { displayName: null, id: null } },
    container: {
      containerId: plan.groupId,
      type: 'group',
      url: `${context.graphBase}/groups/${plan.groupId}`,
    },
  });

  const bucketJson = (plan: SeedPlan, bucket: SeedPlan['buckets'][number], index: number) => ({
    '@odata.etag': etagOf('Bucket', bucket.id, 1),
    name: bucket.name,
    planId: plan.id,
    orderHint: `85${String(index).padStart(2, '0')}5`,
    id: bucket.id,
  });

  const taskJson = (task: PlannerTaskRecord) => ({
    '@odata.etag': etagOf('Task', task.id, task.version),
    planId: task.planId,
    bucketId: task.bucketId,
    title: task.title,
    orderHint: '8585269241124236001',
    assigneePriority: '',
    percentComplete: 0,
    startDateTime: null,
    createdDateTime: task.createdDateTime,
    dueDateTime: null,
    hasDescription: task.details.description.length > 0,
    previewType: 'automatic',
    completedDateTime: null,
    completedBy: null,
    referenceCount: task.details.references.size,
    checklistItemCount: 0,
    activeChecklistItemCount: 0,
    conversationThreadId: null,
    priority: 5,
    id: task.id,
    createdBy: { user: { displayName: null, id: task.createdBy } },
    appliedCategories: {},
    assignments: {},
  });

  const detailsJson = (task: PlannerTaskRecord) => ({
    '@odata.context': `${context.graphBase}/$metadata#planner/tasks('${task.id}')/details/$entity`,
    '@odata.etag': etagOf('TaskDetails', task.id, task.details.version),
    description: task.details.description,
    previewType: task.details.previewType,
    id: task.id,
    references: Object.fromEntries(
      [...task.details.references.entries()].map(([url, reference]) => [
        encodeReferenceKey(url),
        {
          '@odata.type': '#microsoft.graph.plannerExternalReference',
          alias: reference.alias,
          type: reference.type,
          previewPriority: reference.previewPriority,
          lastModifiedDateTime: reference.lastModifiedDateTime,
          lastModifiedBy: { user: { displayName: null, id: reference.lastModifiedBy } },
        },
      ]),
    ),
    checklist: {},
  });

  const collection = (reply: FastifyReply, context_: string, value: unknown[]) =>
    sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#${context_}`,
      '@odata.count': value.length,
      value,
    });

  app.get(
    '/groups/:group/planner/plans',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: a Microsoft 365 group's plans",
        params: z.object({ group: idParam }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      requirePermission(principal, PERMISSIONS.readPlanner, 'planner');
      const group = context.directory.group(principal.tenantId, request.params.group);
      if (!group) {
        throw new GraphError(
          404,
          'Request_ResourceNotFound',
          `Resource '${request.params.group}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
      const plans = store.plansOfGroup(principal.tenantId, group.id);
      for (const plan of plans) planFor(principal, plan.id, false);
      if (principal.kind === 'delegated' && plans.length === 0) {
        const member = context.directory
          .transitiveGroupsOf(principal.tenantId, principal.userId)
          .some((g) => g.id === group.id);
        if (!member) throw forbidden();
      }
      return collection(reply, 'planner/plans', plans.map(planJson));
    },
  );

  app.get(
    '/planner/plans/:plan',
    { schema: { ...schemaBase, summary: 'Graph: a plan', params: z.object({ plan: idParam }) } },
    async (request, reply) =>
      sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#planner/plans/$entity`,
        ...planJson(planFor(principalOf(request), request.params.plan, false)),
      }),
  );

  app.get(
    '/planner/plans/:plan/buckets',
    { schema: { ...schemaBase, summary: "Graph: a plan's buckets", params: z.object({ plan: idParam }) } },
    async (request, reply) => {
      const plan = planFor(principalOf(request), request.params.plan, false);
      return collection(
        reply,
        `planner/plans('${plan.id}')/buckets`,
        plan.buckets.map((bucket, index) => bucketJson(plan, bucket, index)),
      );
    },
  );

  app.get(
    '/planner/plans/:plan/tasks',
    { schema: { ...schemaBase, summary: "Graph: a plan's tasks", params: z.object({ plan: idParam }) } },
    async (request, reply) => {
      const plan = planFor(principalOf(request), request.params.plan, false);
      return collection(reply, `planner/plans('${plan.id}')/tasks`, store.tasksOfPlan(plan.id).map(taskJson));
    },
  );

  app.post(
    '/planner/tasks',
    { schema: { ...schemaBase, summary: 'Graph: create a task in a plan (and bucket)', body: taskBody } },
    async (request, reply) => {
      const principal = principalOf(request);
      const plan = planFor(principal, request.body.planId, true);
      const bucketId = request.body.bucketId ?? null;
      if (bucketId !== null && !plan.buckets.some((bucket) => bucket.id === bucketId)) {
        throw new GraphError(400, 'BadRequest', 'The bucket does not belong to the plan.');
      }
      if (request.body.title.trim() === '') {
        throw new GraphError(400, 'BadRequest', 'The title of a task must not be empty.');
      }
      const task = store.addTask({
        planId: plan.id,
        bucketId,
        title: request.body.title,
        createdBy: principal.kind === 'delegated' ? principal.userId : '',
      });
      return sendGraphJson(
        reply,
        { '@odata.context': `${context.graphBase}/$metadata#planner/tasks/$entity`, ...taskJson(task) },
        201,
      );
    },
  );

  app.get(
    '/planner/tasks/:task',
    { schema: { ...schemaBase, summary: 'Graph: a task', params: z.object({ task: idParam }) } },
    async (request, reply) =>
      sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#planner/tasks/$entity`,
        ...taskJson(taskFor(principalOf(request), request.params.task, false)),
      }),
  );

  app.delete(
    '/planner/tasks/:task',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: delete a task (If-Match with its etag)',
        params: z.object({ task: idParam }),
      },
    },
    async (request, reply) => {
      const task = taskFor(principalOf(request), request.params.task, true);
      checkIfMatch(request, etagOf('Task', task.id, task.version));
      store.deleteTask(task.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/planner/tasks/:task/details',
    {
      schema: { ...schemaBase, summary: "Graph: a task's details", params: z.object({ task: idParam }) },
    },
    async (request, reply) =>
      sendGraphJson(reply, detailsJson(taskFor(principalOf(request), request.params.task, false))),
  );

  /** Planner changes need the etag the client last read: missing is 400, stale is 412. */
  function checkIfMatch(request: FastifyRequest, current: string): void {
    const header = request.headers['if-match'];
    if (typeof header !== 'string' || header.trim() === '') {
      throw new GraphError(
        400,
        'BadRequest',
        'The If-Match header must be specified for this kind of request.',
      );
    }
    if (header.trim() !== current && header.trim() !== '*') {
      throw new GraphError(
        412,
        'PreconditionFailed',
        'The request is invalid due to an etag that does not match the current version of the item.',
      );
    }
  }

  app.patch(
    '/planner/tasks/:task/details',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: change a task's description and references (If-Match)",
        params: z.object({ task: idParam }),
        body: detailsBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const task = taskFor(principal, request.params.task, true);
      checkIfMatch(request, etagOf('TaskDetails', task.id, task.details.version));
      const body = request.body;
      const changes = new Map<string, PlannerReference | null>();
      for (const [key, value] of Object.entries(body.references ?? {})) {
        const url = decodeReferenceKey(key);
        if (!url || !/^https?:\/\//i.test(url)) {
          throw new GraphError(
            400,
            'BadRequest',
            `The reference key '${key}' is not a URL with '%', '.', ':', '@' and '#' encoded.`,
          );
        }
        changes.set(
          url,
          value === null
            ? null
            : {
                alias: value.alias ?? null,
                type: value.type ?? null,
                previewPriority: value.previewPriority ?? ' !',
                lastModifiedDateTime: store.stamp(),
                lastModifiedBy: principal.kind === 'delegated' ? principal.userId : '',
              },
        );
      }
      if (body.description !== undefined) task.details.description = body.description;
      if (body.previewType !== undefined) task.details.previewType = body.previewType;
      for (const [url, reference] of changes) {
        if (reference === null) task.details.references.delete(url);
        else task.details.references.set(url, reference);
      }
      task.details.version += 1;
      task.version += 1;
      const prefer = request.headers.prefer;
      if (typeof prefer === 'string' && /return=representation/i.test(prefer)) {
        return sendGraphJson(reply, detailsJson(task));
      }
      return reply.status(204).send();
    },
  );
};
