import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { PERMISSIONS } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { mailboxOwnerOf, principalOf, requirePermission, sendGraphJson } from './graph-request.js';
import { type ChangeType, type Subscription, SubscriptionValidationError } from './subscription-store.js';

/** Outlook messages allow at most 10,080 minutes (just under seven days) (docs/microsoft-365.md §4.9). */
export const MAX_MESSAGE_SUBSCRIPTION_MINUTES = 10_080;

const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;
const url = z.url({ protocol: /^https?$/ }).max(2048);
const createBody = z.looseObject({
  changeType: z.string().min(1).max(64),
  notificationUrl: url,
  lifecycleNotificationUrl: url.optional(),
  resource: z.string().min(1).max(1024),
  expirationDateTime: z.iso.datetime({ offset: true }),
  clientState: z.string().max(128).nullable().optional(),
  latestSupportedTlsVersion: z.string().max(16).optional(),
  includeResourceData: z.boolean().optional(),
});
const patchBody = z.looseObject({
  expirationDateTime: z.iso.datetime({ offset: true }).optional(),
  notificationUrl: url.optional(),
});
const idParams = z.object({ id: z.string().min(1).max(64) });

/** `/me/messages`, `/users/{id|upn}/messages`, `…/mailFolders/{id}/messages`, `/users('{upn}')/…`. */
const MESSAGE_RESOURCE =
  /^\/?(?:me|users\/([^/('"]+)|users\('([^']+)'\))(?:\/mailfolders(?:\('[^']+'\)|\/[^/]+))?\/messages$/i;

function parseChangeTypes(value: string): ChangeType[] {
  const parts = value.split(',').map((part) => part.trim());
  const known = new Set<string>(CHANGE_TYPES);
  const bad = parts.find((part) => !known.has(part));
  if (bad !== undefined || parts.length === 0) {
    throw new GraphError(400, 'InvalidRequest', `'${bad ?? value}' is not a valid change type.`);
  }
  return [...new Set(parts as ChangeType[])];
}

function parseExpiration(context: EmulatorContext, value: string): Date {
  const date = new Date(value);
  const now = context.now().getTime();
  if (date.getTime() <= now) {
    throw new GraphError(400, 'InvalidRequest', 'Subscription expiration must be in the future.');
  }
  if (date.getTime() > now + MAX_MESSAGE_SUBSCRIPTION_MINUTES * 60_000) {
    throw new GraphError(
      400,
      'InvalidRequest',
      `Subscription expiration can only be ${MAX_MESSAGE_SUBSCRIPTION_MINUTES} minutes in the future.`,
    );
  }
  return date;
}

function subscriptionJson(subscription: Subscription): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: subscription.resource,
    applicationId: subscription.applicationId,
    changeType: subscription.changeTypes.join(','),
    clientState: subscription.clientState,
    notificationUrl: subscription.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: subscription.expirationDateTime.toISOString(),
    creatorId: subscription.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

/**
 * Change notifications (docs/microsoft-365.md §4.9): subscriptions on a mailbox's messages, created
 * after the validation handshake, renewed by PATCH, removed by DELETE or at expiry.
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };
  const contextUrl = `${context.graphBase}/$metadata#subscriptions`;

  /** A subscription the caller may see: same tenant, and for delegated callers their own. */
  function ownSubscription(request: FastifyRequest, id: string): Subscription {
    const principal = principalOf(request);
    const subscription = context.subscriptions.get(id);
    const creator = principal.kind === 'delegated' ? principal.userId : null;
    if (!subscription || subscription.tenantId !== principal.tenantId || subscription.creatorId !== creator) {
      throw new GraphError(404, 'ResourceNotFound', `The object '${id}' doesn't exist.`);
    }
    return subscription;
  }

  app.post(
    '/subscriptions',
    { schema: { ...schemaBase, summary: 'Graph: subscribe to changes of messages', body: createBody } },
    async (request, reply) => {
      const body = request.body;
      const resource = body.resource.split('?')[0] ?? '';
      const match = MESSAGE_RESOURCE.exec(resource);
      if (!match) {
        throw new GraphError(
          400,
          'InvalidRequest',
          `Resource '${body.resource}' is not supported by the emulator: only message collections are.`,
        );
      }
      const userKey = match[1] ?? match[2];
      const { principal, ownerId, shared } = mailboxOwnerOf(context, request, userKey);
      requirePermission(principal, shared ? PERMISSIONS.readSharedMail : PERMISSIONS.readMail, 'mail');
      const changeTypes = parseChangeTypes(body.changeType);
      const expirationDateTime = parseExpiration(context, body.expirationDateTime);
      try {
        const subscription = await context.subscriptions.create({
          tenantId: principal.tenantId,
          creatorId: principal.kind === 'delegated' ? principal.userId : null,
          applicationId: context.options.app.clientId,
          resource: body.resource,
          mailboxId: ownerId,
          changeTypes,
          notificationUrl: body.notificationUrl,
          lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
          clientState: body.clientState ?? null,
          expirationDateTime,
        });
        return sendGraphJson(
          reply,
          { '@odata.context': `${contextUrl}/$entity`, ...subscriptionJson(subscription) },
          201,
        );
      } catch (error) {
        if (error instanceof SubscriptionValidationError) {
          throw new GraphError(400, 'ValidationError', error.message);
        }
        throw error;
      }
    },
  );

  app.get(
    '/subscriptions',
    { schema: { ...schemaBase, summary: "Graph: the caller's subscriptions" } },
    (request, reply) => {
      const principal = principalOf(request);
      const creator = principal.kind === 'delegated' ? principal.userId : null;
      const mine = context.subscriptions
        .all()
        .filter((s) => s.tenantId === principal.tenantId && s.creatorId === creator);
      return sendGraphJson(reply, { '@odata.context': contextUrl, value: mine.map(subscriptionJson) });
    },
  );

  app.get(
    '/subscriptions/:id',
    { schema: { ...schemaBase, summary: 'Graph: a subscription', params: idParams } },
    (request, reply) =>
      sendGraphJson(reply, {
        '@odata.context': `${contextUrl}/$entity`,
        ...subscriptionJson(ownSubscription(request, request.params.id)),
      }),
  );

  app.patch(
    '/subscriptions/:id',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: renew a subscription',
        params: idParams,
        body: patchBody,
      },
    },
    (request, reply) => {
      const subscription = ownSubscription(request, request.params.id);
      if (request.body.expirationDateTime !== undefined) {
        subscription.expirationDateTime = parseExpiration(context, request.body.expirationDateTime);
      }
      if (request.body.notificationUrl !== undefined) {
        subscription.notificationUrl = request.body.notificationUrl;
      }
      return sendGraphJson(reply, {
        '@odata.context': `${contextUrl}/$entity`,
        ...subscriptionJson(subscription),
      });
    },
  );

  app.post(
    '/subscriptions/:id/reauthorize',
    { schema: { ...schemaBase, summary: 'Graph: reauthorize a subscription', params: idParams } },
    (request, reply) => {
      ownSubscription(request, request.params.id);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/subscriptions/:id',
    { schema: { ...schemaBase, summary: 'Graph: delete a subscription', params: idParams } },
    (request, reply) => {
      context.subscriptions.remove(ownSubscription(request, request.params.id).id);
      return reply.status(204).send();
    },
  );
};
