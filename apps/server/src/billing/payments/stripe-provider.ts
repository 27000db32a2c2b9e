import Stripe from 'stripe';
import { AppError } from '../../errors/app-error.js';
import type {
  CheckoutRequest,
  CollectionMethod,
  Interval,
  InvoicedSubscriptionRequest,
  PaymentProvider,
  ProviderInvoice,
  ProviderSubscription,
  SubscriptionChange,
} from './payment-provider.js';

/** Stripe's default: signatures older than five minutes are refused (replay protection). */
const WEBHOOK_TOLERANCE_SECONDS = 300;

const fromUnix = (seconds: number) => new Date(seconds * 1000);

/**
 * The official SDK reaches Stripe at `host:port` with paths starting `/v1`; a base with a path (the
 * payment emulator under /emulator/stripe in demo mode) is put in front of each path here.
 */
function fetchUnder(basePath: string): typeof fetch {
  return (input, init) => {
    if (!basePath) return fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : input.toString());
    url.pathname = `${basePath}${url.pathname}`;
    return fetch(url, init);
  };
}

const collectionOf = (method: string): CollectionMethod =>
  method === 'send_invoice' ? 'send_invoice' : 'charge_automatically';

/** The kind of an expanded payment method (an id alone says nothing: counted as unknown). */
function paymentMethodTypeOf(method: string | Stripe.PaymentMethod | null): 'card' | 'sepa_debit' | null {
  if (!method || typeof method === 'string') return null;
  if (method.type === 'card') return 'card';
  return method.type === 'sepa_debit' ? 'sepa_debit' : null;
}

function toSubscription(subscription: Stripe.Subscription): ProviderSubscription {
  const item = subscription.items.data[0];
  if (!item)
    throw new AppError(502, 'payment_provider_failed', `Subscription ${subscription.id} has no items.`);
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status as ProviderSubscription['status'],
    seats: item.quantity ?? 0,
    unitAmountCents: item.price.unit_amount ?? 0,
    interval: (item.price.recurring?.interval === 'year' ? 'year' : 'month') satisfies Interval,
    periodStart: fromUnix(item.current_period_start),
    periodEnd: fromUnix(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    collectionMethod: collectionOf(subscription.collection_method),
    paymentMethodType: paymentMethodTypeOf(subscription.default_payment_method),
    metadata: subscription.metadata,
  };
}

function toInvoice(invoice: Stripe.Invoice): ProviderInvoice {
  const subscription = invoice.parent?.subscription_details?.subscription ?? null;
  return {
    id: invoice.id ?? '',
    subscriptionId: typeof subscription === 'string' ? subscription : (subscription?.id ?? null),
    status: (invoice.status ?? 'draft') as ProviderInvoice['status'],
    currency: invoice.currency.toUpperCase(),
    subtotalCents: invoice.subtotal,
    taxCents: (invoice.total_taxes ?? []).reduce((sum, tax) => sum + tax.amount, 0),
    totalCents: invoice.total,
    attemptCount: invoice.attempt_count,
    nextAttemptAt: invoice.next_payment_attempt ? fromUnix(invoice.next_payment_attempt) : null,
    paidAt: invoice.status_transitions.paid_at ? fromUnix(invoice.status_transitions.paid_at) : null,
    collectionMethod: collectionOf(invoice.collection_method),
    dueDate: invoice.due_date ? fromUnix(invoice.due_date) : null,
    periodStart: fromUnix(invoice.period_start),
    periodEnd: fromUnix(invoice.period_end),
    lines: invoice.lines.data.map((line) => ({
      description: line.description ?? '',
      quantity: line.quantity ?? 1,
      amountCents: line.amount,
      periodStart: fromUnix(line.period.start),
      periodEnd: fromUnix(line.period.end),
      proration: line.parent?.subscription_item_details?.proration ?? false,
    })),
  };
}

/** Errors of the provider become a 502 that names it; a missing object the caller asked for, a 404. */
async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      if (error.statusCode === 404)
        throw new AppError(404, 'not_found', `${what}: not found at the payment provider.`);
      throw new AppError(
        502,
        'payment_provider_failed',
        `${what}: the payment provider answered ${error.message}`,
      );
    }
    throw error;
  }
}

export function createStripeProvider(settings: {
  secretKey: string;
  webhookSecret: string;
  apiBase: string;
}): PaymentProvider {
  const base = new URL(settings.apiBase);
  const stripe = new Stripe(settings.secretKey, {
    protocol: base.protocol === 'http:' ? 'http' : 'https',
    host: base.hostname,
    port: base.port || (base.protocol === 'http:' ? 80 : 443),
    httpClient: Stripe.createFetchHttpClient(fetchUnder(base.pathname.replace(/\/+$/, ''))),
    maxNetworkRetries: 2,
    telemetry: false,
  });
  // Tax rates are created once per percentage and reused (Stripe keeps them forever).
  const taxRates = new Map<number, string>();

  async function taxRateFor(percent: number): Promise<string> {
    const known = taxRates.get(percent);
    if (known) return known;
    const existing = await stripe.taxRates.list({ active: true, limit: 100 });
    const match = existing.data.find(
      (rate) => rate.percentage === percent && !rate.inclusive && rate.metadata?.mailissa === 'vat',
    );
    const id =
      match?.id ??
      (
        await stripe.taxRates.create(
          {
            display_name: 'USt.',
            description: `German VAT ${percent} %`,
            percentage: percent,
            inclusive: false,
            country: 'DE',
            metadata: { mailissa: 'vat' },
          },
          { idempotencyKey: `tax-rate-de-${percent}` },
        )
      ).id;
    taxRates.set(percent, id);
    return id;
  }

  return {
    createCustomer: (input, idempotencyKey) =>
      call('Creating the customer', async () => {
        const customer = await stripe.customers.create(
          {
            email: input.email,
            name: input.name,
            address: { country: input.country },
            preferred_locales: [input.language],
            metadata: { account_id: input.accountId },
          },
          { idempotencyKey },
        );
        return customer.id;
      }),

    createCheckout: (request: CheckoutRequest) =>
      call('Starting the checkout', async () => {
        const taxRate = request.taxRatePercent === null ? null : await taxRateFor(request.taxRatePercent);
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'subscription',
            customer: request.customerId,
            line_items: [
              {
                price_data: {
                  currency: 'eur',
                  unit_amount: request.unitAmountCents,
                  recurring: { interval: request.interval },
                  product_data: { name: request.productName },
                  tax_behavior: 'exclusive',
                },
                quantity: request.seats,
                ...(taxRate ? { tax_rates: [taxRate] } : {}),
              },
            ],
            success_url: request.successUrl,
            cancel_url: request.cancelUrl,
            locale: request.locale,
            metadata: request.metadata,
            subscription_data: { metadata: request.metadata },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        if (!session.url) throw new AppError(502, 'payment_provider_failed', 'The checkout has no page.');
        return { id: session.id, url: session.url };
      }),

    createInvoicedSubscription: (request: InvoicedSubscriptionRequest) =>
      call('Starting the subscription paid on invoice', async () => {
        const taxRate = request.taxRatePercent === null ? null : await taxRateFor(request.taxRatePercent);
        // A subscription item takes a price by id (price_data would need a product id): made first.
        const price = await stripe.prices.create(
          {
            currency: 'eur',
            unit_amount: request.unitAmountCents,
            recurring: { interval: request.interval },
            product_data: { name: request.productName },
            tax_behavior: 'exclusive',
          },
          { idempotencyKey: `${request.idempotencyKey}-price` },
        );
        const subscription = await stripe.subscriptions.create(
          {
            customer: request.customerId,
            items: [
              { price: price.id, quantity: request.seats, ...(taxRate ? { tax_rates: [taxRate] } : {}) },
            ],
            collection_method: 'send_invoice',
            days_until_due: request.daysUntilDue,
            metadata: request.metadata,
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return toSubscription(subscription);
      }),

    getSubscription: (id) =>
      call('Reading the subscription', async () =>
        toSubscription(await stripe.subscriptions.retrieve(id, { expand: ['default_payment_method'] })),
      ),

    getInvoice: (id) =>
      call('Reading the invoice', async () => toInvoice(await stripe.invoices.retrieve(id))),

    changeSubscription: (id, change: SubscriptionChange) =>
      call('Changing the subscription', async () => {
        const current = await stripe.subscriptions.retrieve(id);
        const item = current.items.data[0];
        if (!item) throw new AppError(502, 'payment_provider_failed', `Subscription ${id} has no items.`);
        const price = change.price
          ? await stripe.prices.create(
              {
                currency: 'eur',
                unit_amount: change.price.unitAmountCents,
                recurring: { interval: change.price.interval },
                product_data: { name: change.price.productName },
                tax_behavior: 'exclusive',
              },
              { idempotencyKey: `${change.idempotencyKey}-price` },
            )
          : null;
        const updated = await stripe.subscriptions.update(
          id,
          {
            items: [{ id: item.id, quantity: change.seats, ...(price ? { price: price.id } : {}) }],
            proration_behavior: 'create_prorations',
            ...(change.metadata ? { metadata: change.metadata } : {}),
          },
          { idempotencyKey: change.idempotencyKey },
        );
        return toSubscription(updated);
      }),

    createCreditNote: (request) =>
      call('Refunding by credit note', async () => {
        const note = await stripe.creditNotes.create(
          {
            invoice: request.invoiceId,
            amount: request.amountCents,
            ...(request.settlement === 'refund' ? { refund_amount: request.amountCents } : {}),
            ...(request.settlement === 'out_of_band' ? { out_of_band_amount: request.amountCents } : {}),
            reason: 'order_change',
            memo: request.memo,
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { id: note.id };
      }),

    createPaymentMethodUpdate: (input) =>
      call('Opening the payment method page', async () => {
        const session = await stripe.billingPortal.sessions.create(
          {
            customer: input.customerId,
            return_url: input.returnUrl,
            locale: input.locale,
            flow_data: {
              type: 'payment_method_update',
              after_completion: { type: 'redirect', redirect: { return_url: input.completedUrl } },
            },
          },
          { idempotencyKey: input.idempotencyKey },
        );
        return { url: session.url };
      }),

    setCancelAtPeriodEnd: (id, cancel, idempotencyKey) =>
      call('Changing the cancellation', async () =>
        toSubscription(
          await stripe.subscriptions.update(id, { cancel_at_period_end: cancel }, { idempotencyKey }),
        ),
      ),

    markInvoicePaidOutOfBand: (id, idempotencyKey) =>
      call('Recording the payment', async () =>
        toInvoice(await stripe.invoices.pay(id, { paid_out_of_band: true }, { idempotencyKey })),
      ),

    verifyWebhook(rawBody, signatureHeader, now) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          signatureHeader,
          settings.webhookSecret,
          WEBHOOK_TOLERANCE_SECONDS,
          undefined,
          // The SDK takes the receiving time in milliseconds.
          now.getTime(),
        );
      } catch {
        throw new AppError(
          400,
          'webhook_signature_invalid',
          'Stripe-Signature: not a valid signature of this body.',
        );
      }
      const object = event.data.object as {
        object?: string;
        id?: string;
        subscription?: unknown;
        parent?: unknown;
      };
      let subscriptionId: string | null = null;
      let invoiceId: string | null = null;
      if (object.object === 'subscription') subscriptionId = object.id ?? null;
      if (object.object === 'checkout.session' && typeof object.subscription === 'string')
        subscriptionId = object.subscription;
      if (object.object === 'invoice') {
        invoiceId = object.id ?? null;
        const parent = (object as Stripe.Invoice).parent?.subscription_details?.subscription;
        subscriptionId = typeof parent === 'string' ? parent : (parent?.id ?? null);
      }
      return { id: event.id, type: event.type, created: fromUnix(event.created), subscriptionId, invoiceId };
    },
  };
}
