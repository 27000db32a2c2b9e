import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkoutPage, portalPage } from './checkout.page.js';
import { decodeStripeForm, type FormValue } from './stripe-form.js';
import {
  type CheckoutLineItem,
  type EnteredPaymentMethod,
  fail,
  type Interval,
  type Price,
  StripeFailure,
  StripeStore,
  type WebhookEndpoint,
} from './stripe-store.js';

export interface StripeEmulatorOptions {
  /** The path its routes are mounted under, e.g. /emulator/stripe. */
  mountPath: string;
  /** The absolute URL of `mountPath`: the hosted Checkout page's links start here. */
  baseUrl: string;
  /** The secret key callers must send as `Authorization: Bearer …` (Stripe's test keys start `sk_test_`). */
  apiKey: string;
  /** Where events are POSTed, each with its signing secret (`whsec_…`). */
  webhookEndpoints: WebhookEndpoint[];
  now?: () => Date;
  nodeEnv: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    stripeEmulator: StripeStore;
  }
}

type Body = Record<string, FormValue>;

function text(body: Body, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}
function record(value: FormValue | undefined): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
function object(value: FormValue | undefined): Body {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
function integer(value: FormValue | undefined, param: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    fail(400, `Invalid integer: ${String(value)}`, param);
  return Number(value);
}
function strings(value: FormValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

const list = <T>(data: T[], url: string) => ({ object: 'list' as const, data, has_more: false, url });

/**
 * The Stripe emulator: the part of Stripe's API Mailissa uses (customers, tax rates, Checkout
 * Sessions in subscription mode with their hosted page, subscriptions, invoices), form-encoded
 * requests and JSON answers as Stripe's, idempotency keys honoured, events sent to webhook endpoints
 * with Stripe's signature. Mounted under /emulator/stripe; the product's official `stripe` SDK is
 * pointed at it. See README.md for the contract and its sources.
 */
export const stripeEmulatorPlugin: FastifyPluginAsyncZod<StripeEmulatorOptions> = async (app, options) => {
  if (options.nodeEnv === 'production') throw new Error('The Stripe emulator must never run in production.');
  const store = new StripeStore({
    now: options.now ?? (() => new Date()),
    checkoutBaseUrl: options.baseUrl,
    webhookEndpoints: [...options.webhookEndpoints],
  });
  // Tests reach the store through `app.stripeEmulator`; the routes live in their own scope.
  app.decorate('stripeEmulator', store);
  await app.register(stripeRoutes, { prefix: options.mountPath, store, apiKey: options.apiKey });
};
Object.defineProperty(stripeEmulatorPlugin, Symbol.for('skip-override'), { value: true });

const stripeRoutes: FastifyPluginAsyncZod<{ store: StripeStore; apiKey: string }> = async (app, options) => {
  const { store } = options;

  // Stripe's bodies use bracketed keys, which a flat form parser would not nest.
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_request, body, done) => {
      done(null, decodeStripeForm(typeof body === 'string' ? body : body.toString('utf8')));
    },
  );

  const replayed = new Map<string, { status: number; body: unknown }>();

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof StripeFailure) {
      const { status, ...rest } = error.error;
      return reply.code(status).send({ error: rest });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({
      error: {
        type: status < 500 ? 'invalid_request_error' : 'api_error',
        message: (error as Error).message,
      },
    });
  });

  /** Authorised by the secret key; a repeated Idempotency-Key answers what its first request did. */
  async function api(
    request: FastifyRequest,
    reply: FastifyReply,
    handle: (body: Body) => Promise<unknown> | unknown,
  ): Promise<unknown> {
    const auth = request.headers.authorization ?? '';
    if (auth !== `Bearer ${options.apiKey}`) {
      reply.code(401);
      return {
        error: {
          type: 'invalid_request_error',
          message: 'Invalid API Key provided.',
        },
      };
    }
    const key = request.headers['idempotency-key'];
    const idempotencyKey =
      typeof key === 'string' && request.method === 'POST' ? `${request.url} ${key}` : null;
    const earlier = idempotencyKey ? replayed.get(idempotencyKey) : undefined;
    if (earlier) {
      reply.code(earlier.status).header('idempotent-replayed', 'true');
      return earlier.body;
    }
    try {
      const body = await handle(object(request.body as FormValue | undefined));
      if (idempotencyKey) replayed.set(idempotencyKey, { status: 200, body });
      reply.header('request-id', `req_${store.newId('r').slice(2)}`);
      return body;
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      const { status, ...rest } = error.error;
      const body = { error: rest };
      if (idempotencyKey) replayed.set(idempotencyKey, { status, body });
      reply.code(status);
      return body;
    }
  }

  const hidden = { hide: true } as const;
  const idParams = z.object({ id: z.string().max(200) });

  // --- customers ---------------------------------------------------------------------------------
  app.post('/v1/customers', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) =>
      store.createCustomer({
        email: text(body, 'email') ?? null,
        name: text(body, 'name') ?? null,
        address: Object.keys(object(body.address)).length ? record(body.address) : null,
        metadata: record(body.metadata),
        preferredLocales: strings(body.preferred_locales),
      }),
    ),
  );
  app.get('/v1/customers/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => store.customer(request.params.id)),
  );
  app.post('/v1/customers/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, (body) => {
      const customer = store.customer(request.params.id);
      if (text(body, 'email') !== undefined) customer.email = text(body, 'email') ?? null;
      if (text(body, 'name') !== undefined) customer.name = text(body, 'name') ?? null;
      if (body.address) customer.address = record(body.address);
      if (body.metadata) customer.metadata = { ...customer.metadata, ...record(body.metadata) };
      if (body.preferred_locales) customer.preferred_locales = strings(body.preferred_locales);
      return customer;
    }),
  );

  // --- tax rates ---------------------------------------------------------------------------------
  app.post('/v1/tax_rates', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) => {
      const percentage = Number(text(body, 'percentage'));
      const displayName = text(body, 'display_name');
      if (!displayName)
        fail(400, 'Missing required param: display_name.', 'display_name', 'parameter_missing');
      if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100)
        fail(400, 'Invalid percentage', 'percentage');
      const id = store.newId('txr');
      const rate = {
        id,
        object: 'tax_rate' as const,
        created: store.nowSeconds(),
        active: true,
        display_name: displayName,
        description: text(body, 'description') ?? null,
        percentage,
        inclusive: text(body, 'inclusive') === 'true',
        country: text(body, 'country') ?? null,
        jurisdiction: text(body, 'jurisdiction') ?? null,
        metadata: record(body.metadata),
        livemode: false as const,
      };
      store.taxRates.set(id, rate);
      return rate;
    }),
  );
  app.get('/v1/tax_rates', { schema: hidden }, (request, reply) =>
    api(request, reply, () => {
      const query = request.query as Record<string, string | undefined>;
      const rates = [...store.taxRates.values()].filter(
        (rate) => query.active === undefined || String(rate.active) === query.active,
      );
      return list(rates, '/v1/tax_rates');
    }),
  );

  // --- Checkout Sessions -------------------------------------------------------------------------
  function priceFrom(item: Body, index: number): Price {
    const data = object(item.price_data);
    const recurring = object(data.recurring);
    const interval = text(recurring, 'interval');
    if (interval !== 'month' && interval !== 'year')
      fail(400, 'Invalid recurring interval', `line_items[${index}][price_data][recurring][interval]`);
    const currency = text(data, 'currency');
    if (!currency)
      fail(400, 'Missing required param: currency.', `line_items[${index}][price_data][currency]`);
    const productName = text(object(data.product_data), 'name');
    if (!productName)
      fail(
        400,
        'Missing required param: product_data[name].',
        `line_items[${index}][price_data][product_data][name]`,
      );
    return store.createPrice({
      currency,
      unitAmount: integer(data.unit_amount, `line_items[${index}][price_data][unit_amount]`),
      interval: interval as Interval,
      productName,
    });
  }

  // --- prices (a plan or term switch names a new price on the subscription item) -----------------
  app.post('/v1/prices', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) => {
      if (!body.product_data)
        fail(400, 'This emulator creates prices with product_data only.', 'product_data');
      return priceFrom({ price_data: { ...body, product_data: body.product_data } }, 0);
    }),
  );
  app.get('/v1/prices/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => store.price(request.params.id)),
  );

  app.post('/v1/checkout/sessions', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) => {
      if (text(body, 'mode') !== 'subscription')
        fail(400, 'This emulator supports mode=subscription only.', 'mode');
      const successUrl = text(body, 'success_url');
      if (!successUrl) fail(400, 'Missing required param: success_url.', 'success_url', 'parameter_missing');
      const rawItems = Array.isArray(body.line_items) ? body.line_items : [];
      if (rawItems.length === 0)
        fail(400, 'Missing required param: line_items.', 'line_items', 'parameter_missing');
      const lineItems: CheckoutLineItem[] = rawItems.map((raw, index) => {
        const item = object(raw);
        const taxRates = strings(item.tax_rates);
        for (const rate of taxRates) store.taxRate(rate);
        return {
          price: priceFrom(item, index),
          quantity: integer(item.quantity, `line_items[${index}][quantity]`),
          tax_rates: taxRates,
        };
      });
      const customer = text(body, 'customer') ?? null;
      if (customer) store.customer(customer);
      return store.createSession({
        customer,
        customerEmail: text(body, 'customer_email') ?? null,
        lineItems,
        successUrl,
        cancelUrl: text(body, 'cancel_url') ?? null,
        locale: text(body, 'locale') ?? null,
        metadata: record(body.metadata),
        subscriptionMetadata: record(object(body.subscription_data).metadata),
      });
    }),
  );
  app.get('/v1/checkout/sessions/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => store.session(request.params.id)),
  );
  app.post(
    '/v1/checkout/sessions/:id/expire',
    { schema: { ...hidden, params: idParams } },
    (request, reply) =>
      api(request, reply, () => {
        const session = store.session(request.params.id);
        if (session.status !== 'open') fail(400, 'Only open sessions can be expired.');
        session.status = 'expired';
        session.url = null;
        return session;
      }),
  );

  // The hosted page (checkout.stripe.com in real life): the buyer's browser, no API key.
  const pageParams = z.object({ id: z.string().max(200) });
  app.get('/c/pay/:id', { schema: { ...hidden, params: pageParams } }, async (request, reply) => {
    const session = store.sessions.get(request.params.id);
    reply.type('text/html; charset=utf-8');
    if (session?.status !== 'open') return reply.code(404).send(checkoutPage.closed(session?.locale ?? 'en'));
    return checkoutPage.form(session, store.sessionLineItems(session.id), null);
  });
  app.post('/c/pay/:id', { schema: { ...hidden, params: pageParams } }, async (request, reply) => {
    const session = store.sessions.get(request.params.id);
    reply.type('text/html; charset=utf-8');
    if (session?.status !== 'open') return reply.code(404).send(checkoutPage.closed(session?.locale ?? 'en'));
    const body = object(request.body as FormValue | undefined);
    const method = text(body, 'method');
    const result = await store.completeSession(
      session.id,
      method === 'sepa_debit'
        ? { type: 'sepa_debit', iban: text(body, 'iban') ?? '' }
        : { type: 'card', number: text(body, 'card_number') ?? '' },
    );
    if (!result.ok)
      return reply
        .code(402)
        .send(checkoutPage.form(session, store.sessionLineItems(session.id), result.message));
    return reply.redirect(result.redirect, 303);
  });

  // --- subscriptions -----------------------------------------------------------------------------
  app.get('/v1/subscriptions/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => {
      // `expand[0]=…` / `expand[]=…` in the query string, decoded as Stripe decodes bodies.
      const query = decodeStripeForm(request.url.split('?')[1] ?? '');
      return store.expandedSubscription(request.params.id, strings(query.expand));
    }),
  );
  app.post('/v1/subscriptions', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) => {
      const customer = text(body, 'customer');
      if (!customer) fail(400, 'Missing required param: customer.', 'customer', 'parameter_missing');
      const items = Array.isArray(body.items) ? body.items.map(object) : [];
      const first = items[0];
      if (!first || items.length !== 1)
        fail(400, 'This emulator creates subscriptions with exactly one item.', 'items');
      const priceId = text(first, 'price');
      const price = priceId
        ? store.price(priceId)
        : first.price_data
          ? priceFrom({ price_data: first.price_data }, 0)
          : fail(400, 'Missing required param: items[0][price].', 'items[0][price]', 'parameter_missing');
      const taxRates = [...strings(first.tax_rates), ...strings(body.default_tax_rates)];
      for (const rate of taxRates) store.taxRate(rate);
      const method = text(body, 'collection_method') ?? 'charge_automatically';
      if (method !== 'charge_automatically' && method !== 'send_invoice')
        fail(400, `Invalid collection_method: ${method}`, 'collection_method');
      return store.createSubscription({
        customer,
        price,
        quantity: first.quantity === undefined ? 1 : integer(first.quantity, 'items[0][quantity]'),
        taxRates,
        collectionMethod: method,
        daysUntilDue:
          body.days_until_due === undefined ? null : integer(body.days_until_due, 'days_until_due'),
        metadata: record(body.metadata),
      });
    }),
  );
  app.post('/v1/subscriptions/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, async (body) => {
      const items = Array.isArray(body.items) ? body.items.map(object) : [];
      const first = items[0];
      const subscription = store.subscription(request.params.id);
      if (first && text(first, 'id') && text(first, 'id') !== subscription.items.data[0]?.id)
        fail(400, `No such subscription item: '${text(first, 'id')}'`, 'items[0][id]', 'resource_missing');
      const behaviour = text(body, 'proration_behavior') ?? 'create_prorations';
      if (!['create_prorations', 'none', 'always_invoice'].includes(behaviour))
        fail(400, 'Invalid proration_behavior', 'proration_behavior');
      const cancel = text(body, 'cancel_at_period_end');
      return store.updateSubscription(request.params.id, {
        ...(first?.quantity !== undefined ? { quantity: integer(first.quantity, 'items[0][quantity]') } : {}),
        ...(first?.price_data ? { price: priceFrom({ price_data: first.price_data }, 0) } : {}),
        ...(first && text(first, 'price') ? { price: store.price(text(first, 'price') ?? '') } : {}),
        prorate: behaviour !== 'none',
        ...(cancel !== undefined ? { cancelAtPeriodEnd: cancel === 'true' } : {}),
        ...(body.metadata ? { metadata: record(body.metadata) } : {}),
      });
    }),
  );
  app.delete('/v1/subscriptions/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => store.cancelSubscription(request.params.id)),
  );

  // --- invoices ----------------------------------------------------------------------------------
  app.get('/v1/invoices/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => store.invoice(request.params.id)),
  );
  app.get('/v1/invoices', { schema: hidden }, (request, reply) =>
    api(request, reply, () => {
      const query = request.query as Record<string, string | undefined>;
      const invoices = [...store.invoices.values()]
        .filter(
          (invoice) =>
            !query.subscription || invoice.parent.subscription_details.subscription === query.subscription,
        )
        .filter((invoice) => !query.customer || invoice.customer === query.customer)
        .sort((a, b) => b.created - a.created);
      return list(invoices, '/v1/invoices');
    }),
  );
  app.post('/v1/invoices/:id/pay', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, (body) =>
      store.payInvoice(request.params.id, {
        paidOutOfBand: text(body, 'paid_out_of_band') === 'true',
        paymentMethod: text(body, 'payment_method') ?? null,
      }),
    ),
  );

  // --- credit notes ------------------------------------------------------------------------------
  const amount = (body: Body, key: string) => (body[key] === undefined ? 0 : integer(body[key], key));
  app.post('/v1/credit_notes', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) => {
      const invoice = text(body, 'invoice');
      if (!invoice) fail(400, 'Missing required param: invoice.', 'invoice', 'parameter_missing');
      return store.createCreditNote({
        invoice,
        amount: body.amount === undefined ? null : integer(body.amount, 'amount'),
        refundAmount: amount(body, 'refund_amount'),
        outOfBandAmount: amount(body, 'out_of_band_amount'),
        creditAmount: amount(body, 'credit_amount'),
        reason: text(body, 'reason') ?? null,
        memo: text(body, 'memo') ?? null,
        metadata: record(body.metadata),
      });
    }),
  );
  app.get('/v1/credit_notes/:id', { schema: { ...hidden, params: idParams } }, (request, reply) =>
    api(request, reply, () => {
      const note = store.creditNotes.get(request.params.id);
      if (!note) fail(404, `No such credit note: '${request.params.id}'`, 'id', 'resource_missing');
      return note;
    }),
  );

  // --- the Customer Portal: sessions, and its hosted page (payment method update only) -----------
  app.post('/v1/billing_portal/sessions', { schema: hidden }, (request, reply) =>
    api(request, reply, (body) => {
      const customer = text(body, 'customer');
      if (!customer) fail(400, 'Missing required param: customer.', 'customer', 'parameter_missing');
      const flowData = object(body.flow_data);
      const flow = text(flowData, 'type');
      if (flow !== undefined && flow !== 'payment_method_update')
        fail(400, 'This emulator supports flow_data[type]=payment_method_update only.', 'flow_data[type]');
      return store.createPortalSession({
        customer,
        returnUrl: text(body, 'return_url') ?? null,
        locale: text(body, 'locale') ?? null,
        flow: flow ?? null,
        completedUrl: text(object(object(flowData.after_completion).redirect), 'return_url') ?? null,
      });
    }),
  );
  const enteredMethod = (body: Body): EnteredPaymentMethod =>
    text(body, 'method') === 'sepa_debit'
      ? { type: 'sepa_debit', iban: text(body, 'iban') ?? '' }
      : { type: 'card', number: text(body, 'card_number') ?? '' };
  app.get('/p/session/:id', { schema: { ...hidden, params: pageParams } }, async (request, reply) => {
    const session = store.portalSessions.get(request.params.id);
    reply.type('text/html; charset=utf-8');
    if (!session) return reply.code(404).send(checkoutPage.closed(null));
    const customer = store.customer(session.customer);
    const current = store.paymentMethods.get(customer.invoice_settings.default_payment_method ?? '');
    return portalPage(session, current ?? null, null);
  });
  app.post('/p/session/:id', { schema: { ...hidden, params: pageParams } }, async (request, reply) => {
    const session = store.portalSessions.get(request.params.id);
    reply.type('text/html; charset=utf-8');
    if (!session) return reply.code(404).send(checkoutPage.closed(null));
    const result = await store.updatePaymentMethod(
      session.id,
      enteredMethod(object(request.body as FormValue | undefined)),
    );
    if (!result.ok) return reply.code(402).send(portalPage(session, null, result.message));
    return reply.redirect(
      session.flow?.after_completion.redirect?.return_url ?? session.return_url ?? session.url,
      303,
    );
  });

  // --- the emulator's own control (not Stripe's API): run what is due at `now` --------------------
  app.post('/emulator-control/advance', { schema: hidden }, async () => store.advance());
  app.get('/emulator-control/events', { schema: hidden }, async () => ({ data: store.events }));
};
