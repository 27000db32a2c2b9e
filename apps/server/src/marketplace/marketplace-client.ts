import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/** Microsoft's application id of the marketplace API: the resource our tokens are for. */
export const MARKETPLACE_RESOURCE_ID = '20e940b3-4c77-4b0b-9a53-9e16a1b010a7';
const API_VERSION = '2018-08-31';

// Microsoft asks publishers not to deserialise strictly: unknown fields are kept, only ours are checked.
const partySchema = z.looseObject({ tenantId: z.uuid(), emailId: z.string().optional() });
export const saasSubscriptionSchema = z.looseObject({
  id: z.uuid(),
  offerId: z.string().min(1).max(100),
  planId: z.string().min(1).max(100),
  quantity: z.coerce.number().int().min(1).optional(),
  saasSubscriptionStatus: z.string().transform((value) => value.trim()),
  beneficiary: partySchema,
  purchaser: partySchema,
  term: z
    .looseObject({
      startDate: z.string().nullish(),
      endDate: z.string().nullish(),
      termUnit: z.string().nullish(),
    })
    .optional(),
});
export type SaasSubscription = z.infer<typeof saasSubscriptionSchema>;

export const saasOperationSchema = z.looseObject({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  action: z.string(),
  planId: z.string().max(100).optional(),
  quantity: z.coerce.number().int().min(1).optional(),
  status: z.string(),
});
export type SaasOperation = z.infer<typeof saasOperationSchema>;

const resolvedSchema = z.looseObject({ id: z.uuid(), subscription: saasSubscriptionSchema });
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});

export interface MarketplaceClientOptions {
  apiBase: string;
  authorityBase: string;
  publisherTenantId: string;
  clientId: string;
  clientSecret: string | null;
  now: () => Date;
  fetch?: typeof fetch;
}

export interface MarketplaceClient {
  /** The purchase behind a landing-page token; 400 `marketplace_purchase_invalid` when unknown or expired. */
  resolve(token: string): Promise<SaasSubscription>;
  getSubscription(id: string): Promise<SaasSubscription>;
  activate(id: string): Promise<void>;
  /** null when Microsoft knows no such operation of that subscription. */
  getOperation(subscriptionId: string, operationId: string): Promise<SaasOperation | null>;
  acknowledge(subscriptionId: string, operationId: string, status: 'Success' | 'Failure'): Promise<void>;
}

const unavailable = (detail: string, cause?: unknown) =>
  new AppError(
    503,
    'marketplace_unavailable',
    'The Microsoft marketplace cannot be reached; please try again.',
    {
      detail,
      ...(cause === undefined ? {} : { cause }),
    },
  );

/**
 * The SaaS fulfillment API v2 as the publisher calls it: a client-credentials token of our app
 * registration (in the publisher tenant) for the marketplace resource, cached until shortly before it
 * expires, and JSON calls with request and correlation ids. The token itself never reaches a log.
 */
export function createMarketplaceClient(options: MarketplaceClientOptions): MarketplaceClient {
  const doFetch = options.fetch ?? fetch;
  let cached: { token: string; refreshAt: number } | null = null;

  async function accessToken(): Promise<string> {
    if (cached && cached.refreshAt > options.now().getTime()) return cached.token;
    if (!options.clientSecret) throw unavailable('ENTRA_CLIENT_SECRET is not set');
    let response: Response;
    try {
      response = await doFetch(
        `${options.authorityBase}/${encodeURIComponent(options.publisherTenantId)}/oauth2/v2.0/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: options.clientId,
            client_secret: options.clientSecret,
            scope: `${MARKETPLACE_RESOURCE_ID}/.default`,
          }),
        },
      );
    } catch (error) {
      throw unavailable('token endpoint unreachable', error);
    }
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = tokenResponseSchema.safeParse(body);
    if (!response.ok || !parsed.success)
      throw unavailable(`client credentials for the marketplace: ${response.status}`);
    cached = {
      token: parsed.data.access_token,
      refreshAt: options.now().getTime() + Math.max(0, parsed.data.expires_in - 300) * 1000,
    };
    return cached.token;
  }

  async function call(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    extra: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Response> {
    const url = `${options.apiBase}/api/saas/subscriptions${path}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${await accessToken()}`,
          'content-type': 'application/json',
          'x-ms-requestid': randomUUID(),
          'x-ms-correlationid': randomUUID(),
          ...extra.headers,
        },
        ...(extra.body === undefined ? {} : { body: JSON.stringify(extra.body) }),
      });
    } catch (error) {
      throw unavailable(`${method} ${path.split('?')[0]}: unreachable`, error);
    }
    if (response.status === 401 || response.status === 403) {
      // Our token was refused: drop it, so the next call fetches a fresh one.
      cached = null;
      throw unavailable(`${method} ${path.split('?')[0]}: ${response.status} (token refused)`);
    }
    if (response.status >= 500) throw unavailable(`${method} ${path.split('?')[0]}: ${response.status}`);
    return response;
  }

  async function json<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw unavailable(`${what}: unexpected answer`);
    return parsed.data;
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    async resolve(token) {
      const response = await call('POST', '/resolve', { headers: { 'x-ms-marketplace-token': token } });
      if (response.status === 400 || response.status === 404)
        throw new AppError(
          400,
          'marketplace_purchase_invalid',
          'We could not identify this purchase. Open the subscription in the Microsoft 365 admin center or the Azure portal and choose “Configure account” again.',
        );
      if (!response.ok) throw unavailable(`resolve: ${response.status}`);
      return (await json(response, resolvedSchema, 'resolve')).subscription;
    },
    async getSubscription(subscriptionId) {
      const response = await call('GET', `/${id(subscriptionId)}`);
      if (response.status === 404)
        throw new AppError(
          404,
          'marketplace_purchase_invalid',
          'The marketplace knows no such subscription.',
        );
      if (!response.ok) throw unavailable(`get subscription: ${response.status}`);
      return json(response, saasSubscriptionSchema, 'get subscription');
    },
    async activate(subscriptionId) {
      const response = await call('POST', `/${id(subscriptionId)}/activate`);
      await response.body?.cancel();
      if (response.status === 400 || response.status === 404)
        throw new AppError(
          409,
          'marketplace_purchase_invalid',
          'The marketplace refused to activate this subscription: it is suspended or cancelled.',
        );
      if (!response.ok) throw unavailable(`activate: ${response.status}`);
    },
    async getOperation(subscriptionId, operationId) {
      const response = await call('GET', `/${id(subscriptionId)}/operations/${id(operationId)}`);
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) throw unavailable(`get operation: ${response.status}`);
      return json(response, saasOperationSchema, 'get operation');
    },
    async acknowledge(subscriptionId, operationId, status) {
      const response = await call('PATCH', `/${id(subscriptionId)}/operations/${id(operationId)}`, {
        body: { status },
      });
      await response.body?.cancel();
      if (!response.ok) throw unavailable(`patch operation: ${response.status}`);
    },
  };
}
