import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type FastifyPluginAsyncZod,
  hasZodFastifySchemaValidationErrors,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MARKETPLACE_RESOURCE } from '../m365/identity/scopes.js';
import { TokenVerificationError } from '../m365/identity/verify-token.js';
import { RestFaults } from '../rest-faults.js';
import { marketplaceControlPage } from './marketplace.page.js';
import {
  DEMO_OFFER,
  MarketplaceFailure,
  type MarketplaceOffer,
  MarketplaceStore,
  SAAS_ACTIONS,
  type SaasAction,
  type SaasOperation,
} from './marketplace-store.js';

export interface MarketplaceEmulatorOptions {
  /** Where the routes are mounted, e.g. /emulator/marketplace (the API's paths follow below it). */
  mountPath: string;
  /** The absolute URL of `mountPath`: Operation-Location headers start here. */
  baseUrl: string;
  /** The tenant the publisher's app registration lives in: the webhook tokens' issuer tenant. */
  publisherTenantId: string;
  /** The offer's landing page (Partner Center's "Landing page URL"); `?token=…` is added. */
  landingPageUrl: string;
  /** The offer's "Connection webhook". */
  webhookUrl: string;
  offer?: MarketplaceOffer;
  nodeEnv: string;
  now?: () => Date;
}

export interface WebhookDelivery {
  operationId: string;
  action: SaasAction;
  /** The publisher's HTTP status, or 0 when it could not be reached. */
  status: number;
}

export interface MarketplaceEmulatorHandle {
  store: MarketplaceStore;
  faults: RestFaults;
  deliveries: WebhookDelivery[];
  /** A purchase as AppSource makes one; the landing URL is what "Configure account" opens. */
  purchase(input: PurchaseInput): Promise<{ subscriptionId: string; token: string; landingUrl: string }>;
  /** Starts an operation as the customer or Microsoft would and POSTs it to the webhook. */
  notify(
    subscriptionId: string,
    action: SaasAction,
    change?: { planId?: string; quantity?: number },
  ): Promise<{ operation: SaasOperation; delivery: WebhookDelivery }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    marketplaceEmulator: MarketplaceEmulatorHandle;
  }
}

const API_VERSION = '2018-08-31';
const apiVersionQuery = z.object({ 'api-version': z.string().max(20).optional() });
const purchaseSchema = z.object({
  tenantId: z.uuid(),
  /** A user of that tenant (UPN or object id); the tenant's first user by default. */
  user: z.string().min(1).max(320).optional(),
  planId: z.string().min(1).max(50),
  quantity: z.coerce.number().int().min(1).max(100_000),
  termUnit: z.enum(['P1M', 'P1Y']).default('P1M'),
});
type PurchaseInput = z.input<typeof purchaseSchema>;
const notifySchema = z.object({
  action: z.enum(SAAS_ACTIONS),
  planId: z.string().min(1).max(50).optional(),
  quantity: z.coerce.number().int().min(1).max(100_000).optional(),
});

/**
 * The Microsoft commercial marketplace's SaaS fulfillment API v2 for demo mode and tests: resolve,
 * activate, read, change and cancel subscriptions, operations and their acknowledgement, and webhook
 * calls signed by the Microsoft 365 emulator's Entra ID. Every API call needs the publisher app's
 * client-credentials token for the marketplace resource. A control page and a JSON control API
 * (not Microsoft's) buy and send notifications. See README.md.
 */
export const marketplaceEmulatorPlugin: FastifyPluginAsyncZod<MarketplaceEmulatorOptions> = async (
  app,
  options,
) => {
  if (options.nodeEnv === 'production')
    throw new Error('The marketplace emulator must never run in production.');
  if (!app.hasDecorator('emulator'))
    throw new Error(
      'The marketplace emulator needs the Microsoft 365 emulator (its Entra ID) registered first.',
    );
  const entra = app.emulator.identity;
  const now = options.now ?? (() => new Date());
  const store = new MarketplaceStore(options.offer ?? DEMO_OFFER, now);
  const faults = new RestFaults();
  const deliveries: WebhookDelivery[] = [];

  /** POSTs the operation to the webhook with a bearer token Entra issued to the marketplace. */
  async function deliver(operation: SaasOperation): Promise<WebhookDelivery> {
    const token = await entra.appAccessToken({
      tenantId: options.publisherTenantId,
      audience: entra.clientId,
      clientId: MARKETPLACE_RESOURCE,
    });
    const payload = { ...operation, subscription: store.get(operation.subscriptionId), purchaseToken: null };
    let status = 0;
    try {
      const response = await fetch(options.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(payload),
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      status = 0;
    }
    const delivery = { operationId: operation.id, action: operation.action, status };
    deliveries.push(delivery);
    return delivery;
  }

  const handle: MarketplaceEmulatorHandle = {
    store,
    faults,
    deliveries,
    async purchase(input) {
      const parsed = purchaseSchema.parse(input);
      const tenant = entra
        .tenants()
        .find((candidate) => candidate.tenantId === parsed.tenantId.toLowerCase());
      if (!tenant) throw new MarketplaceFailure(400, 'BadRequest', `No emulated tenant ${parsed.tenantId}.`);
      const user = parsed.user
        ? tenant.users.find(
            (candidate) =>
              candidate.id === parsed.user ||
              candidate.userPrincipalName.toLowerCase() === parsed.user?.toLowerCase(),
          )
        : tenant.users[0];
      if (!user) throw new MarketplaceFailure(400, 'BadRequest', `No user ${parsed.user} in that tenant.`);
      const { subscription, token } = store.purchase({
        purchaser: { emailId: user.mail, objectId: user.id, tenantId: tenant.tenantId },
        planId: parsed.planId,
        quantity: parsed.quantity,
        termUnit: parsed.termUnit,
        name: `Mailissa for ${tenant.displayName}`,
      });
      const landing = new URL(options.landingPageUrl);
      landing.searchParams.set('token', token);
      return { subscriptionId: subscription.id, token, landingUrl: landing.toString() };
    },
    async notify(subscriptionId, action, change = {}) {
      const operation = store.startOperation(subscriptionId, action, change, 'Azure');
      return { operation, delivery: await deliver(operation) };
    },
  };
  app.decorate('marketplaceEmulator', handle);

  await app.register(
    async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      await scope.register(formbody);
      // Publishers send `content-type: application/json` on body-less POSTs (resolve, activate), as
      // Microsoft's samples do; the API takes that, so an empty JSON body is no body here.
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        const text = typeof body === 'string' ? body : body.toString('utf8');
        if (text.trim() === '') return done(null, undefined);
        try {
          done(null, JSON.parse(text));
        } catch {
          done(new MarketplaceFailure(400, 'BadRequest', 'The body is not valid JSON.'), undefined);
        }
      });
      scope.setErrorHandler((error, _request, reply) => {
        if (error instanceof MarketplaceFailure)
          return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
        if (error instanceof z.ZodError || hasZodFastifySchemaValidationErrors(error))
          return reply.status(400).send({ error: { code: 'BadRequest', message: error.message } });
        throw error;
      });

      /** The publisher's bearer token: Entra-issued for the marketplace resource, to the publisher's app. */
      async function authorise(request: FastifyRequest, reply: FastifyReply): Promise<void> {
        const fault = faults.take(request.method, request.url.split('?')[0] ?? '');
        if (fault) {
          if (fault.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(fault.retryAfterSeconds));
          await reply.status(fault.status).send({ error: { code: 'Fault', message: 'Injected fault.' } });
          return;
        }
        const header = request.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
        const unauthorised = (message: string) =>
          reply.status(401).send({ error: { code: 'Unauthorized', message } });
        if (!token) return void (await unauthorised('A bearer token is required.'));
        try {
          const claims = await entra.verifyAccessToken(token, [MARKETPLACE_RESOURCE]);
          if (claims.azp !== entra.clientId && claims.appid !== entra.clientId)
            return void (await unauthorised(
              'The token was not issued to the offer’s publisher application.',
            ));
        } catch (error) {
          if (error instanceof TokenVerificationError) return void (await unauthorised(error.message));
          throw error;
        }
        reply.header('x-ms-requestid', request.headers['x-ms-requestid'] ?? randomUUID());
        reply.header('x-ms-correlationid', request.headers['x-ms-correlationid'] ?? randomUUID());
      }

      const operationLocation = (operation: SaasOperation) =>
        `${options.baseUrl}/api/saas/subscriptions/${operation.subscriptionId}/operations/${operation.id}?api-version=${API_VERSION}`;
      const api = { preHandler: authorise };
      const idParams = z.object({ subscriptionId: z.string().max(64) });
      const operationParams = z.object({
        subscriptionId: z.string().max(64),
        operationId: z.string().max(64),
      });

      scope.post(
        '/api/saas/subscriptions/resolve',
        { ...api, schema: { hide: true, querystring: apiVersionQuery } },
        async (request) => {
          const raw = request.headers['x-ms-marketplace-token'];
          if (typeof raw !== 'string' || raw === '')
            throw new MarketplaceFailure(400, 'BadRequest', 'x-ms-marketplace-token is required.');
          const subscription = store.resolve(raw);
          return {
            id: subscription.id,
            subscriptionName: subscription.name,
            offerId: subscription.offerId,
            planId: subscription.planId,
            quantity: subscription.quantity,
            subscription,
          };
        },
      );
      scope.get(
        '/api/saas/subscriptions',
        { ...api, schema: { hide: true, querystring: apiVersionQuery } },
        async () => ({
          subscriptions: store.all(),
        }),
      );
      scope.get(
        '/api/saas/subscriptions/:subscriptionId',
        { ...api, schema: { hide: true, params: idParams, querystring: apiVersionQuery } },
        async (request) => store.get(request.params.subscriptionId),
      );
      scope.post(
        '/api/saas/subscriptions/:subscriptionId/activate',
        { ...api, schema: { hide: true, params: idParams, querystring: apiVersionQuery } },
        async (request, reply) => {
          store.activate(request.params.subscriptionId);
          return reply.status(200).send();
        },
      );
      scope.get(
        '/api/saas/subscriptions/:subscriptionId/listAvailablePlans',
        {
          ...api,
          schema: {
            hide: true,
            params: idParams,
            querystring: apiVersionQuery.extend({ planId: z.string().max(50).optional() }),
          },
        },
        async (request) => {
          store.get(request.params.subscriptionId);
          const wanted = request.query.planId;
          return {
            plans: store
              .plans()
              .filter((plan) => !wanted || plan.planId === wanted)
              .map((plan) => ({
                ...plan,
                isPrivate: false,
                hasFreeTrials: false,
                isPricePerSeat: true,
                isStopSell: false,
                market: 'DE',
              })),
          };
        },
      );
      scope.patch(
        '/api/saas/subscriptions/:subscriptionId',
        {
          ...api,
          schema: {
            hide: true,
            params: idParams,
            querystring: apiVersionQuery,
            body: z.object({
              planId: z.string().min(1).max(50).optional(),
              quantity: z.number().int().min(1).optional(),
            }),
          },
        },
        async (request, reply) => {
          const { planId, quantity } = request.body;
          if ((planId === undefined) === (quantity === undefined))
            throw new MarketplaceFailure(400, 'BadRequest', 'Send either planId or quantity.');
          const operation = store.startOperation(
            request.params.subscriptionId,
            planId ? 'ChangePlan' : 'ChangeQuantity',
            planId ? { planId } : { quantity: quantity ?? 0 },
            'Partner',
          );
          // Microsoft confirms through the webhook before the publisher applies the change.
          void deliver(operation).catch(() => undefined);
          return reply.status(202).header('operation-location', operationLocation(operation)).send();
        },
      );
      scope.delete(
        '/api/saas/subscriptions/:subscriptionId',
        { ...api, schema: { hide: true, params: idParams, querystring: apiVersionQuery } },
        async (request, reply) => {
          const operation = store.startOperation(request.params.subscriptionId, 'Unsubscribe', {}, 'Partner');
          void deliver(operation).catch(() => undefined);
          return reply.status(202).header('operation-location', operationLocation(operation)).send();
        },
      );
      scope.get(
        '/api/saas/subscriptions/:subscriptionId/operations',
        { ...api, schema: { hide: true, params: idParams, querystring: apiVersionQuery } },
        async (request) => ({ operations: store.pendingOperations(request.params.subscriptionId) }),
      );
      scope.get(
        '/api/saas/subscriptions/:subscriptionId/operations/:operationId',
        { ...api, schema: { hide: true, params: operationParams, querystring: apiVersionQuery } },
        async (request) => store.operation(request.params.subscriptionId, request.params.operationId),
      );
      scope.patch(
        '/api/saas/subscriptions/:subscriptionId/operations/:operationId',
        {
          ...api,
          schema: {
            hide: true,
            params: operationParams,
            querystring: apiVersionQuery,
            body: z.object({ status: z.enum(['Success', 'Failure']) }),
          },
        },
        async (request, reply) => {
          store.acknowledge(request.params.subscriptionId, request.params.operationId, request.body.status);
          return reply.status(200).send();
        },
      );

      // --- Not Microsoft's: buying and notifying in demo mode and tests ---------------------------
      scope.post(
        '/emulator-control/purchases',
        { schema: { hide: true, body: purchaseSchema } },
        async (request) => handle.purchase(request.body),
      );
      scope.post(
        '/emulator-control/subscriptions/:subscriptionId/notify',
        { schema: { hide: true, params: idParams, body: notifySchema } },
        async (request) => {
          const { action, planId, quantity } = request.body;
          const { operation, delivery } = await handle.notify(request.params.subscriptionId, action, {
            ...(planId ? { planId } : {}),
            ...(quantity !== undefined ? { quantity } : {}),
          });
          return { operationId: operation.id, webhookStatus: delivery.status };
        },
      );
      scope.get('/emulator-control/subscriptions', { schema: { hide: true } }, async () => ({
        subscriptions: store.all(),
        deliveries,
      }));

      const pageQuery = z.object({
        lang: z.enum(['en', 'de']).optional(),
        done: z.string().max(200).optional(),
      });
      const customerTenants = () =>
        entra
          .tenants()
          .filter((tenant) => tenant.kind === 'customer')
          .map((tenant) => ({ tenantId: tenant.tenantId, displayName: tenant.displayName }));
      scope.get('/', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) =>
        reply.type('text/html; charset=utf-8').send(
          marketplaceControlPage({
            lang: request.query.lang ?? 'en',
            mountPath: options.mountPath,
            tenants: customerTenants(),
            plans: store.plans(),
            subscriptions: store.all(),
            done: request.query.done ?? null,
          }),
        ),
      );
      // The page's "Buy" stands for AppSource's checkout and its "Configure account" button.
      scope.post(
        '/buy',
        { schema: { hide: true, body: purchaseSchema.extend({ lang: z.enum(['en', 'de']).optional() }) } },
        async (request, reply) => {
          const bought = await handle.purchase(request.body);
          return reply.redirect(bought.landingUrl, 303);
        },
      );
      scope.post(
        '/subscriptions/:subscriptionId/notify',
        {
          schema: {
            hide: true,
            params: idParams,
            body: notifySchema.extend({
              lang: z.enum(['en', 'de']).optional(),
              planId: z.string().max(50).optional(),
              quantity: z.union([z.literal(''), z.coerce.number().int().min(1).max(100_000)]).optional(),
            }),
          },
        },
        async (request, reply) => {
          const { action, planId, quantity, lang } = request.body;
          const { delivery } = await handle.notify(request.params.subscriptionId, action, {
            ...(planId ? { planId } : {}),
            ...(typeof quantity === 'number' ? { quantity } : {}),
          });
          const done = `${action} → ${delivery.status || 'unreachable'}`;
          return reply.redirect(
            `${options.mountPath}/?lang=${lang ?? 'en'}&done=${encodeURIComponent(done)}`,
            303,
          );
        },
      );
    },
    { prefix: options.mountPath },
  );
};
Object.defineProperty(marketplaceEmulatorPlugin, Symbol.for('skip-override'), { value: true });
