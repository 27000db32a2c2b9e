import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { receiveNotifications } from './receive-notifications.js';

export const NOTIFICATION_PATH = '/api/outlook-sync/notifications';
export const LIFECYCLE_PATH = '/api/outlook-sync/lifecycle';

const id = z.string().min(1).max(128);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notification = z.looseObject({
  subscriptionId: id,
  // The Microsoft tenant's GUID, as Graph sends it.
  tenantId: z.string().regex(GUID, 'a tenant GUID'),
  clientState: z.string().max(256).nullable().optional(),
  changeType: z.string().max(64).optional(),
  lifecycleEvent: z.string().max(64).optional(),
  resourceData: z.looseObject({ id: z.string().min(1).max(512).optional() }).optional(),
});
const collection = z.object({ value: z.array(notification).min(1).max(1000) });
// The handshake arrives as an empty text/plain POST; notifications as JSON (docs/microsoft-365.md §4.9).
const body = z.union([collection, z.literal('')]).optional();
const query = z.object({ validationToken: z.string().min(1).max(2048).optional() });
const response = { 200: z.string().describe('the validation token, echoed'), 202: z.null() };

/**
 * Graph's change and lifecycle notifications for the Outlook mirror (issue 9 item 5). Public: Graph
 * calls them without a token; each notification proves itself by the subscription's clientState.
 */
export const outlookSyncRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const deps = { db: context.db, jobs: context.jobs, now: context.now };

  async function handle(
    reply: FastifyReply,
    validationToken: string | undefined,
    received: z.infer<typeof body>,
  ): Promise<void> {
    if (validationToken !== undefined) {
      // Echo the decoded token as plain text within 10 s, or Graph refuses the subscription.
      await reply.status(200).type('text/plain; charset=utf-8').send(validationToken);
      return;
    }
    if (received && typeof received === 'object') await receiveNotifications(deps, received.value);
    // Always 202, matched or not: Graph retries anything else, and an outsider learns nothing.
    await reply.status(202).send(null);
  }

  app.post(
    NOTIFICATION_PATH,
    {
      schema: {
        tags: ['outlook-sync'],
        summary: 'Graph change notifications for mailboxes the Outlook mirror watches',
        querystring: query,
        body,
        response,
      },
    },
    async (request, reply) => {
      await handle(reply, request.query.validationToken, request.body);
      return reply;
    },
  );

  app.post(
    LIFECYCLE_PATH,
    {
      schema: {
        tags: ['outlook-sync'],
        summary: 'Graph lifecycle notifications (reauthorize, removed, missed) for the Outlook mirror',
        querystring: query,
        body,
        response,
      },
    },
    async (request, reply) => {
      await handle(reply, request.query.validationToken, request.body);
      return reply;
    },
  );
};
