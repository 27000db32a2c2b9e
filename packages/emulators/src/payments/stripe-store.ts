import { createHmac, randomBytes } from 'node:crypto';

/**
 * The state of the Stripe emulator and the billing it runs: customers, tax rates, Checkout Sessions,
 * subscriptions with their items and prices, invoices, payment attempts with Stripe's documented test
 * card and IBAN outcomes, and webhook events signed as Stripe signs them. Objects are kept in Stripe's
 * own shapes (API version of the pinned SDK) for the fields Mailissa reads; see README.md.
 */

export type Interval = 'month' | 'year';
export type Outcome = 'succeeds' | 'declined' | 'attach_then_fail';

/** Stripe's documented test numbers (docs: "Testing" — cards and SEPA Direct Debit IBANs). */
export const TEST_CARDS: Record<string, Outcome> = {
  '4242424242424242': 'succeeds',
  '5555555555554444': 'succeeds',
  '4000000000000002': 'declined',
  '4000000000009995': 'declined',
  '4000000000000341': 'attach_then_fail',
};
/** SEPA debits settle later: the outcome shows when the emulator's clock next runs. */
export const TEST_IBANS: Record<string, Outcome> = {
  DE89370400440532013000: 'succeeds',
  AT611904300234573201: 'succeeds',
  DE62370400440532013001: 'attach_then_fail',
  AT861904300235473202: 'attach_then_fail',
};

/** Stripe retries a failed subscription payment on this schedule (days after the first failure). */
export const RETRY_DAYS = [3, 5, 7] as const;

const DAY = 86_400;

export interface StripeError {
  status: number;
  type: 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error';
  message: string;
  param?: string;
  code?: string;
}
export class StripeFailure extends Error {
  constructor(readonly error: StripeError) {
    super(error.message);
  }
}
export function fail(status: number, message: string, param?: string, code?: string): never {
  throw new StripeFailure({
    status,
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });
}

export type Json = Record<string, unknown>;

export interface Customer {
  id: string;
  object: 'customer';
  created: number;
  email: string | null;
  name: string | null;
  address: Json | null;
  metadata: Record<string, string>;
  preferred_locales: string[];
  invoice_settings: { default_payment_method: string | null };
  livemode: false;
}

export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card' | 'sepa_debit';
  created: number;
  customer: string | null;
  card: { brand: string; last4: string; exp_month: number; exp_year: number } | null;
  sepa_debit: { last4: string; country: string } | null;
  livemode: false;
}

export interface TaxRate {
  id: string;
  object: 'tax_rate';
  created: number;
  active: boolean;
  display_name: string;
  description: string | null;
  percentage: number;
  inclusive: boolean;
  country: string | null;
  jurisdiction: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

export interface Price {
  id: string;
  object: 'price';
  active: true;
  currency: string;
  unit_amount: number;
  product: string;
  type: 'recurring';
  recurring: { interval: Interval; interval_count: 1; usage_type: 'licensed' };
  tax_behavior: 'exclusive';
  metadata: Record<string, string>;
  livemode: false;
}

export interface SubscriptionItem {
  id: string;
  object: 'subscription_item';
  created: number;
  subscription: string;
  price: Price;
  quantity: number;
  current_period_start: number;
  current_period_end: number;
  tax_rates: TaxRate[];
  metadata: Record<string, string>;
}

export type CollectionMethod = 'charge_automatically' | 'send_invoice';

export type SubscriptionStatus =
  | 'incomplete'
  | 'incomplete_expired'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid';

export interface Subscription {
  id: string;
  object: 'subscription';
  created: number;
  start_date: number;
  customer: string;
  status: SubscriptionStatus;
  items: { object: 'list'; data: SubscriptionItem[]; has_more: false; url: string };
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  currency: string;
  /** send_invoice: the customer pays each invoice by bank transfer within days_until_due. */
  collection_method: CollectionMethod;
  days_until_due: number | null;
  default_payment_method: string | null;
  latest_invoice: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

export interface InvoiceLine {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string;
  quantity: number;
  period: { start: number; end: number };
  pricing: {
    type: 'price_details';
    price_details: { price: string; product: string };
    unit_amount_decimal: string;
  };
  parent: {
    type: 'subscription_item_details';
    subscription_item_details: { subscription: string; subscription_item: string; proration: boolean };
  };
  taxes: Array<{
    amount: number;
    tax_rate_details: { tax_rate: string };
    taxable_amount: number;
    type: 'tax_rate_details';
  }>;
  metadata: Record<string, string>;
}

export interface Invoice {
  id: string;
  object: 'invoice';
  created: number;
  customer: string;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  billing_reason: 'subscription_create' | 'subscription_cycle' | 'subscription_update';
  collection_method: CollectionMethod;
  /** send_invoice only: when the transfer is due. */
  due_date: number | null;
  currency: string;
  subtotal: number;
  total_excluding_tax: number;
  total: number;
  total_taxes: Array<{
    amount: number;
    tax_behavior: 'exclusive';
    tax_rate_details: { tax_rate: string };
    taxability_reason: 'standard_rated';
    taxable_amount: number;
    type: 'tax_rate_details';
  }>;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  next_payment_attempt: number | null;
  period_start: number;
  period_end: number;
  lines: { object: 'list'; data: InvoiceLine[]; has_more: false; url: string };
  parent: {
    type: 'subscription_details';
    subscription_details: { subscription: string; metadata: Record<string, string> };
  };
  status_transitions: { finalized_at: number | null; paid_at: number | null };
  metadata: Record<string, string>;
  livemode: false;
}

export interface CheckoutLineItem {
  price: Price;
  quantity: number;
  tax_rates: string[];
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  created: number;
  expires_at: number;
  mode: 'subscription';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  customer: string | null;
  customer_email: string | null;
  subscription: string | null;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  locale: string | null;
  currency: string;
  amount_subtotal: number;
  amount_total: number;
  metadata: Record<string, string>;
  livemode: false;
}

interface SessionExtra {
  lineItems: CheckoutLineItem[];
  subscriptionMetadata: Record<string, string>;
}

export interface CreditNote {
  id: string;
  object: 'credit_note';
  created: number;
  number: string;
  invoice: string;
  customer: string;
  currency: string;
  status: 'issued';
  type: 'pre_payment' | 'post_payment';
  amount: number;
  total: number;
  refund_amount: number;
  out_of_band_amount: number;
  credit_amount: number;
  reason: string | null;
  memo: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

/** A Customer Portal session (billing_portal.session), here only for updating the payment method. */
export interface PortalSession {
  id: string;
  object: 'billing_portal.session';
  created: number;
  customer: string;
  return_url: string | null;
  locale: string | null;
  url: string;
  flow: {
    type: 'payment_method_update';
    after_completion: { type: 'redirect' | 'portal_homepage'; redirect: { return_url: string } | null };
  } | null;
  livemode: false;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  data: { object: Json; previous_attributes?: Json };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
}

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export type EnteredPaymentMethod = { type: 'card'; number: string } | { type: 'sepa_debit'; iban: string };

/** The payment method's outcome, kept beside it (Stripe decides it from the test number). */
interface Funding {
  outcome: Outcome;
  /** SEPA debits settle asynchronously: the invoice stays open until the clock runs. */
  asynchronous: boolean;
}

interface PendingSettlement {
  invoiceId: string;
  paymentMethodId: string;
}

export const API_VERSION = '2026-10-28.endive';

/** `t=…,v1=…`: HMAC-SHA256 of `${t}.${payload}` with the endpoint's secret, as Stripe signs. */
export function stripeSignature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

function addInterval(seconds: number, interval: Interval): number {
  const date = new Date(seconds * 1000);
  if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return Math.floor(date.getTime() / 1000);
}

export class StripeStore {
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  private readonly funding = new Map<string, Funding>();
  readonly taxRates = new Map<string, TaxRate>();
  readonly sessions = new Map<string, CheckoutSession>();
  private readonly sessionExtras = new Map<string, SessionExtra>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly prices = new Map<string, Price>();
  readonly creditNotes = new Map<string, CreditNote>();
  readonly portalSessions = new Map<string, PortalSession>();
  /** Money sent back to customers through credit notes, by invoice (what a refund would pay out). */
  readonly refunded = new Map<string, number>();
  readonly events: StripeEvent[] = [];
  /** Proration lines waiting for the subscription's next invoice. */
  private readonly pendingItems = new Map<string, InvoiceLine[]>();
  private readonly settlements: PendingSettlement[] = [];
  /** Events whose delivery failed; sent again when the clock next runs. */
  private readonly undelivered: Array<{ event: StripeEvent; endpoint: WebhookEndpoint }> = [];

  constructor(
    private readonly options: {
      now: () => Date;
      checkoutBaseUrl: string;
      webhookEndpoints: WebhookEndpoint[];
      fetchFn?: typeof fetch;
    },
  ) {}

  nowSeconds(): number {
    return Math.floor(this.options.now().getTime() / 1000);
  }

  newId(prefix: string): string {
    return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
  }

  addWebhookEndpoint(endpoint: WebhookEndpoint): void {
    this.options.webhookEndpoints.push(endpoint);
  }

  // --- objects -----------------------------------------------------------------------------------

  customer(id: string): Customer {
    return this.customers.get(id) ?? fail(404, `No such customer: '${id}'`, 'id', 'resource_missing');
  }

  subscription(id: string): Subscription {
    return this.subscriptions.get(id) ?? fail(404, `No such subscription: '${id}'`, 'id', 'resource_missing');
  }

  invoice(id: string): Invoice {
    return this.invoices.get(id) ?? fail(404, `No such invoice: '${id}'`, 'id', 'resource_missing');
  }

  session(id: string): CheckoutSession {
    return (
      this.sessions.get(id) ?? fail(404, `No such checkout.session: '${id}'`, 'session', 'resource_missing')
    );
  }

  taxRate(id: string): TaxRate {
    return this.taxRates.get(id) ?? fail(400, `No such tax rate: '${id}'`, 'tax_rates', 'resource_missing');
  }

  createPrice(input: {
    currency: string;
    unitAmount: number;
    interval: Interval;
    productName: string;
  }): Price {
    const price: Price = {
      id: this.newId('price'),
      object: 'price',
      active: true,
      currency: input.currency,
      unit_amount: input.unitAmount,
      product: `prod_${createHmac('sha256', 'product').update(input.productName).digest('hex').slice(0, 14)}`,
      type: 'recurring',
      recurring: { interval: input.interval, interval_count: 1, usage_type: 'licensed' },
      tax_behavior: 'exclusive',
      metadata: { product_name: input.productName },
      livemode: false,
    };
    this.prices.set(price.id, price);
    return price;
  }

  price(id: string): Price {
    return this.prices.get(id) ?? fail(400, `No such price: '${id}'`, 'price', 'resource_missing');
  }

  createSession(input: {
    customer: string | null;
    customerEmail: string | null;
    lineItems: CheckoutLineItem[];
    successUrl: string;
    cancelUrl: string | null;
    locale: string | null;
    metadata: Record<string, string>;
    subscriptionMetadata: Record<string, string>;
  }): CheckoutSession {
    const id = `cs_test_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;
    const subtotal = input.lineItems.reduce((sum, item) => sum + item.price.unit_amount * item.quantity, 0);
    const tax = input.lineItems.reduce(
      (sum, item) =>
        sum +
        item.tax_rates.reduce(
          (inner, rate) =>
            inner +
            Math.round((item.price.unit_amount * item.quantity * this.taxRate(rate).percentage) / 100),
          0,
        ),
      0,
    );
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      created: this.nowSeconds(),
      expires_at: this.nowSeconds() + DAY,
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      customer: input.customer,
      customer_email: input.customerEmail,
      subscription: null,
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      url: `${this.options.checkoutBaseUrl}/c/pay/${id}`,
      locale: input.locale,
      currency: input.lineItems[0]?.price.currency ?? 'eur',
      amount_subtotal: subtotal,
      amount_total: subtotal + tax,
      metadata: input.metadata,
      livemode: false,
    };
    this.sessions.set(id, session);
    this.sessionExtras.set(id, {
      lineItems: input.lineItems,
      subscriptionMetadata: input.subscriptionMetadata,
    });
    return session;
  }

  sessionLineItems(id: string): CheckoutLineItem[] {
    return this.sessionExtras.get(id)?.lineItems ?? [];
  }

  // --- the hosted page's payment -----------------------------------------------------------------

  /**
   * A payment method from the hosted page's card number or IBAN, attached to the customer: Stripe's
   * test numbers decide whether it is refused now (declined card) or fails when charged later.
   */
  private attachPaymentMethod(
    customerId: string,
    method: EnteredPaymentMethod,
    purpose: 'charge' | 'setup',
  ): { ok: true; paymentMethod: PaymentMethod } | { ok: false; message: string; code: string } {
    const outcome =
      method.type === 'card'
        ? TEST_CARDS[method.number.replace(/\s/g, '')]
        : TEST_IBANS[method.iban.replace(/\s/g, '').toUpperCase()];
    if (!outcome) {
      return method.type === 'card'
        ? { ok: false, message: 'Your card number is invalid.', code: 'invalid_number' }
        : { ok: false, message: 'The IBAN you entered is invalid.', code: 'invalid_iban' };
    }
    if (outcome === 'declined')
      return { ok: false, message: 'Your card was declined.', code: 'card_declined' };
    if (outcome === 'attach_then_fail' && method.type === 'card' && purpose === 'charge') {
      // Attaching works, but the first charge of the subscription fails: Checkout shows the decline.
      return { ok: false, message: 'Your card was declined.', code: 'card_declined' };
    }
    const paymentMethod: PaymentMethod = {
      id: this.newId('pm'),
      object: 'payment_method',
      type: method.type,
      created: this.nowSeconds(),
      customer: customerId,
      card:
        method.type === 'card'
          ? {
              brand: method.number.startsWith('5') ? 'mastercard' : 'visa',
              last4: method.number.replace(/\s/g, '').slice(-4),
              exp_month: 12,
              exp_year: 2034,
            }
          : null,
      sepa_debit:
        method.type === 'sepa_debit'
          ? {
              last4: method.iban.replace(/\s/g, '').slice(-4),
              country: method.iban.slice(0, 2).toUpperCase(),
            }
          : null,
      livemode: false,
    };
    this.paymentMethods.set(paymentMethod.id, paymentMethod);
    this.funding.set(paymentMethod.id, { outcome, asynchronous: method.type === 'sepa_debit' });
    this.customer(customerId).invoice_settings.default_payment_method = paymentMethod.id;
    return { ok: true, paymentMethod };
  }

  /**
   * What the hosted Checkout page does when the buyer pays: the payment method is attached to the
   * customer, the subscription created and its first invoice charged. A declined card leaves the
   * session open with Stripe's decline message; a SEPA debit completes the session and settles later.
   */
  async completeSession(
    sessionId: string,
    method: EnteredPaymentMethod,
  ): Promise<{ ok: true; redirect: string } | { ok: false; message: string; code: string }> {
    const session = this.session(sessionId);
    if (session.status !== 'open')
      return { ok: false, message: 'This Checkout Session is no longer open.', code: 'session_closed' };
    const customerId = session.customer ?? this.createCustomer({ email: session.customer_email }).id;
    const attached = this.attachPaymentMethod(customerId, method, 'charge');
    if (!attached.ok) return attached;
    const { paymentMethod } = attached;
    const outcome = this.funding.get(paymentMethod.id)?.outcome;
    const now = this.nowSeconds();
    const extra = this.sessionExtras.get(sessionId) ?? { lineItems: [], subscriptionMetadata: {} };
    const subscriptionId = this.newId('sub');
    const subscription: Subscription = {
      id: subscriptionId,
      object: 'subscription',
      created: now,
      start_date: now,
      customer: customerId,
      status: 'active',
      items: {
        object: 'list',
        data: extra.lineItems.map((item) => ({
          id: this.newId('si'),
          object: 'subscription_item',
          created: now,
          subscription: subscriptionId,
          price: item.price,
          quantity: item.quantity,
          current_period_start: now,
          current_period_end: addInterval(now, item.price.recurring.interval),
          tax_rates: item.tax_rates.map((rate) => this.taxRate(rate)),
          metadata: {},
        })),
        has_more: false,
        url: `/v1/subscription_items?subscription=${subscriptionId}`,
      },
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      currency: session.currency,
      collection_method: 'charge_automatically',
      days_until_due: null,
      default_payment_method: paymentMethod.id,
      latest_invoice: null,
      metadata: extra.subscriptionMetadata,
      livemode: false,
    };
    this.subscriptions.set(subscriptionId, subscription);
    session.status = 'complete';
    session.customer = customerId;
    session.subscription = subscriptionId;
    session.payment_status = outcome === 'succeeds' && method.type === 'card' ? 'paid' : 'unpaid';
    const invoice = this.createInvoice(subscription, 'subscription_create');
    await this.emit('customer.subscription.created', subscription);
    await this.emit('checkout.session.completed', session);
    await this.charge(invoice);
    return { ok: true, redirect: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) };
  }

  createCustomer(input: {
    email: string | null;
    name?: string | null;
    address?: Json | null;
    metadata?: Record<string, string>;
    preferredLocales?: string[];
  }): Customer {
    const customer: Customer = {
      id: this.newId('cus'),
      object: 'customer',
      created: this.nowSeconds(),
      email: input.email,
      name: input.name ?? null,
      address: input.address ?? null,
      metadata: input.metadata ?? {},
      preferred_locales: input.preferredLocales ?? [],
      invoice_settings: { default_payment_method: null },
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  // --- invoices and payments ---------------------------------------------------------------------

  private lineFor(
    subscription: Subscription,
    item: SubscriptionItem,
    amount: number,
    description: string,
    period: { start: number; end: number },
    proration: boolean,
    quantity: number,
  ): InvoiceLine {
    return {
      id: this.newId('il'),
      object: 'line_item',
      amount,
      currency: subscription.currency,
      description,
      quantity,
      period,
      pricing: {
        type: 'price_details',
        price_details: { price: item.price.id, product: item.price.product },
        unit_amount_decimal: String(item.price.unit_amount),
      },
      parent: {
        type: 'subscription_item_details',
        subscription_item_details: { subscription: subscription.id, subscription_item: item.id, proration },
      },
      taxes: [],
      metadata: {},
    };
  }

  /** A finalised invoice for the subscription's current period plus any pending prorations. */
  createInvoice(subscription: Subscription, reason: Invoice['billing_reason']): Invoice {
    const now = this.nowSeconds();
    const lines: InvoiceLine[] = [...(this.pendingItems.get(subscription.id) ?? [])];
    this.pendingItems.delete(subscription.id);
    for (const item of subscription.items.data) {
      const name = item.price.metadata.product_name ?? item.price.product;
      lines.push(
        this.lineFor(
          subscription,
          item,
          item.price.unit_amount * item.quantity,
          `${item.quantity} × ${name}`,
          { start: item.current_period_start, end: item.current_period_end },
          false,
          item.quantity,
        ),
      );
    }
    // Tax per rate on the sum of its lines (one rounding per rate, as EN 16931 sums VAT per category).
    const rates = subscription.items.data[0]?.tax_rates ?? [];
    const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
    const totalTaxes = rates.map((rate) => ({
      amount: Math.round((subtotal * rate.percentage) / 100),
      tax_behavior: 'exclusive' as const,
      tax_rate_details: { tax_rate: rate.id },
      taxability_reason: 'standard_rated' as const,
      taxable_amount: subtotal,
      type: 'tax_rate_details' as const,
    }));
    for (const line of lines) {
      line.taxes = rates.map((rate) => ({
        amount: Math.round((line.amount * rate.percentage) / 100),
        tax_rate_details: { tax_rate: rate.id },
        taxable_amount: line.amount,
        type: 'tax_rate_details' as const,
      }));
    }
    const tax = totalTaxes.reduce((sum, entry) => sum + entry.amount, 0);
    const period = subscription.items.data[0];
    const sent = subscription.collection_method === 'send_invoice';
    const invoice: Invoice = {
      id: this.newId('in'),
      object: 'invoice',
      created: now,
      customer: subscription.customer,
      status: 'open',
      billing_reason: reason,
      collection_method: subscription.collection_method,
      due_date: sent ? now + (subscription.days_until_due ?? 30) * DAY : null,
      currency: subscription.currency,
      subtotal,
      total_excluding_tax: subtotal,
      total: subtotal + tax,
      total_taxes: totalTaxes,
      amount_due: Math.max(0, subtotal + tax),
      amount_paid: 0,
      amount_remaining: Math.max(0, subtotal + tax),
      attempt_count: 0,
      attempted: false,
      // An invoice the customer pays by transfer is never charged, so never attempted.
      next_payment_attempt: sent ? null : now,
      period_start: period?.current_period_start ?? now,
      period_end: period?.current_period_end ?? now,
      lines: { object: 'list', data: lines, has_more: false, url: '/v1/invoices/lines' },
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
      status_transitions: { finalized_at: now, paid_at: null },
      metadata: {},
      livemode: false,
    };
    this.invoices.set(invoice.id, invoice);
    subscription.latest_invoice = invoice.id;
    return invoice;
  }

  /**
   * What follows a new invoice: charged with the subscription's payment method, or — paid by bank
   * transfer (`send_invoice`) — finalised and sent to the customer, who pays by its due date.
   */
  async collect(invoice: Invoice): Promise<void> {
    if (invoice.collection_method === 'charge_automatically') return this.charge(invoice);
    if (invoice.amount_due === 0)
      return this.markPaid(invoice, this.subscription(invoice.parent.subscription_details.subscription));
    await this.emit('invoice.finalized', invoice);
    await this.emit('invoice.sent', invoice);
  }

  /**
   * `POST /v1/subscriptions`: a subscription started without Checkout. Paid by bank transfer
   * (`send_invoice` with `days_until_due`), it is active at once and its first invoice is sent; charged
   * automatically, the customer's default payment method pays the first invoice now.
   */
  async createSubscription(input: {
    customer: string;
    price: Price;
    quantity: number;
    taxRates: string[];
    collectionMethod: CollectionMethod;
    daysUntilDue: number | null;
    metadata: Record<string, string>;
  }): Promise<Subscription> {
    const customer = this.customer(input.customer);
    if (input.collectionMethod === 'send_invoice' && input.daysUntilDue === null)
      fail(400, 'days_until_due is required when collection_method is send_invoice.', 'days_until_due');
    if (input.collectionMethod === 'charge_automatically' && input.daysUntilDue !== null)
      fail(400, 'days_until_due is only allowed when collection_method is send_invoice.', 'days_until_due');
    const paymentMethod = customer.invoice_settings.default_payment_method;
    if (input.collectionMethod === 'charge_automatically' && !paymentMethod)
      fail(
        400,
        'This customer has no attached payment source or default payment method.',
        undefined,
        'resource_missing',
      );
    if (!Number.isInteger(input.quantity) || input.quantity < 1)
      fail(400, 'Invalid quantity', 'items[0][quantity]');
    const now = this.nowSeconds();
    const id = this.newId('sub');
    const subscription: Subscription = {
      id,
      object: 'subscription',
      created: now,
      start_date: now,
      customer: customer.id,
      status: 'active',
      items: {
        object: 'list',
        data: [
          {
            id: this.newId('si'),
            object: 'subscription_item',
            created: now,
            subscription: id,
            price: input.price,
            quantity: input.quantity,
            current_period_start: now,
            current_period_end: addInterval(now, input.price.recurring.interval),
            tax_rates: input.taxRates.map((rate) => this.taxRate(rate)),
            metadata: {},
          },
        ],
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      currency: input.price.currency,
      collection_method: input.collectionMethod,
      days_until_due: input.daysUntilDue,
      default_payment_method: input.collectionMethod === 'send_invoice' ? null : paymentMethod,
      latest_invoice: null,
      metadata: input.metadata,
      livemode: false,
    };
    this.subscriptions.set(id, subscription);
    const invoice = this.createInvoice(subscription, 'subscription_create');
    await this.emit('customer.subscription.created', subscription);
    await this.collect(invoice);
    return subscription;
  }

  /** The subscription with `default_payment_method` expanded (`expand[]=default_payment_method`). */
  expandedSubscription(id: string, expand: string[]): Json {
    const subscription = this.subscription(id);
    if (!expand.includes('default_payment_method') || !subscription.default_payment_method)
      return subscription as unknown as Json;
    return {
      ...subscription,
      default_payment_method: this.paymentMethods.get(subscription.default_payment_method) ?? null,
    };
  }

  /** Charges the invoice with the subscription's payment method (SEPA: settles at the next clock run). */
  async charge(invoice: Invoice, paymentMethodId?: string): Promise<void> {
    const subscription = this.subscription(invoice.parent.subscription_details.subscription);
    const methodId = paymentMethodId ?? subscription.default_payment_method ?? '';
    const funding = this.funding.get(methodId);
    if (invoice.amount_due === 0) return this.markPaid(invoice, subscription);
    invoice.attempted = true;
    invoice.attempt_count += 1;
    if (funding?.asynchronous && !this.settlements.some((entry) => entry.invoiceId === invoice.id)) {
      invoice.next_payment_attempt = null;
      this.settlements.push({ invoiceId: invoice.id, paymentMethodId: methodId });
      await this.emit('invoice.finalized', invoice);
      return;
    }
    if (funding?.outcome === 'succeeds') return this.markPaid(invoice, subscription);
    return this.markFailed(invoice, subscription);
  }

  private async markPaid(invoice: Invoice, subscription: Subscription): Promise<void> {
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = this.nowSeconds();
    const previous = subscription.status;
    if (
      subscription.status === 'past_due' ||
      subscription.status === 'unpaid' ||
      subscription.status === 'incomplete'
    ) {
      subscription.status = 'active';
    }
    await this.emit('invoice.paid', invoice);
    if (previous !== subscription.status)
      await this.emit('customer.subscription.updated', subscription, { status: previous });
  }

  private async markFailed(invoice: Invoice, subscription: Subscription): Promise<void> {
    const retry = RETRY_DAYS[invoice.attempt_count - 1];
    const previous = subscription.status;
    if (retry === undefined) {
      // Retries exhausted: Stripe's subscription setting "mark the subscription as unpaid".
      invoice.next_payment_attempt = null;
      subscription.status = 'unpaid';
    } else {
      invoice.next_payment_attempt = this.nowSeconds() + retry * DAY;
      subscription.status = 'past_due';
    }
    await this.emit('invoice.payment_failed', invoice);
    if (previous !== subscription.status)
      await this.emit('customer.subscription.updated', subscription, { status: previous });
  }

  /** `POST /v1/invoices/:id/pay`: charge now, or record a payment made outside Stripe. */
  async payInvoice(
    id: string,
    options: { paidOutOfBand: boolean; paymentMethod: string | null },
  ): Promise<Invoice> {
    const invoice = this.invoice(id);
    if (invoice.status === 'paid') fail(400, 'Invoice is already paid', undefined, 'invoice_already_paid');
    if (invoice.status !== 'open') fail(400, `This invoice can't be paid: it is ${invoice.status}.`);
    const subscription = this.subscription(invoice.parent.subscription_details.subscription);
    if (options.paidOutOfBand) await this.markPaid(invoice, subscription);
    else await this.charge(invoice, options.paymentMethod ?? undefined);
    return invoice;
  }

  // --- changes -----------------------------------------------------------------------------------

  /**
   * Changes the subscription's quantity or price. With `create_prorations` the unused time of the old
   * item is credited and the remaining time of the new one charged, both on the next invoice.
   */
  async updateSubscription(
    id: string,
    change: {
      quantity?: number;
      price?: Price;
      prorate: boolean;
      cancelAtPeriodEnd?: boolean;
      metadata?: Record<string, string>;
    },
  ): Promise<Subscription> {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled')
      fail(400, 'A canceled subscription can only update its cancellation_details and metadata.');
    const item = subscription.items.data[0];
    if (!item) fail(400, 'The subscription has no items.');
    const previous: Json = {};
    let resetCycle = false;
    if (change.quantity !== undefined || change.price) {
      const now = this.nowSeconds();
      const newQuantity = change.quantity ?? item.quantity;
      const newPrice = change.price ?? item.price;
      // Stripe: a new interval resets the billing cycle to now and invoices at once (prorations included).
      const newInterval = change.price && change.price.recurring.interval !== item.price.recurring.interval;
      if (change.prorate && now < item.current_period_end) {
        const share = (now2: number) =>
          (item.current_period_end - now2) / (item.current_period_end - item.current_period_start);
        const remaining = share(now);
        const credit = -Math.round(item.price.unit_amount * item.quantity * remaining);
        const charge = Math.round(newPrice.unit_amount * newQuantity * remaining);
        const period = { start: now, end: item.current_period_end };
        const name = (price: Price) => price.metadata.product_name ?? price.product;
        const pending = this.pendingItems.get(id) ?? [];
        pending.push(
          this.lineFor(
            subscription,
            item,
            credit,
            `Unused time on ${item.quantity} × ${name(item.price)}`,
            period,
            true,
            item.quantity,
          ),
        );
        if (!newInterval)
          pending.push(
            this.lineFor(
              subscription,
              { ...item, price: newPrice },
              charge,
              `Remaining time on ${newQuantity} × ${name(newPrice)}`,
              period,
              true,
              newQuantity,
            ),
          );
        this.pendingItems.set(id, pending);
      }
      previous.items = { data: [{ id: item.id, quantity: item.quantity, price: item.price }] };
      item.quantity = newQuantity;
      item.price = newPrice;
      if (newInterval) {
        // The unused time was credited above; the new term starts now and is charged in full.
        item.current_period_start = now;
        item.current_period_end = addInterval(now, newPrice.recurring.interval);
        resetCycle = true;
      }
    }
    if (change.cancelAtPeriodEnd !== undefined) {
      previous.cancel_at_period_end = subscription.cancel_at_period_end;
      subscription.cancel_at_period_end = change.cancelAtPeriodEnd;
      subscription.cancel_at = change.cancelAtPeriodEnd ? item.current_period_end : null;
    }
    if (change.metadata) subscription.metadata = { ...subscription.metadata, ...change.metadata };
    await this.emit('customer.subscription.updated', subscription, previous);
    if (resetCycle) await this.collect(this.createInvoice(subscription, 'subscription_update'));
    return subscription;
  }

  async cancelSubscription(id: string): Promise<Subscription> {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled') return subscription;
    const now = this.nowSeconds();
    subscription.status = 'canceled';
    subscription.canceled_at = now;
    subscription.ended_at = now;
    await this.emit('customer.subscription.deleted', subscription);
    return subscription;
  }

  // --- credit notes ------------------------------------------------------------------------------

  /**
   * `POST /v1/credit_notes` on a paid invoice: the amount (tax included) is refunded to the payment
   * method, settled outside Stripe, or credited to the customer's balance; together never more than
   * the invoice's total less what earlier credit notes took.
   */
  async createCreditNote(input: {
    invoice: string;
    amount: number | null;
    refundAmount: number;
    outOfBandAmount: number;
    creditAmount: number;
    reason: string | null;
    memo: string | null;
    metadata: Record<string, string>;
  }): Promise<CreditNote> {
    const invoice = this.invoice(input.invoice);
    if (invoice.status !== 'paid' && invoice.status !== 'open')
      fail(400, `Credit notes can only be issued on open or paid invoices; this one is ${invoice.status}.`);
    if (
      input.reason !== null &&
      !['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'].includes(input.reason)
    )
      fail(400, `Invalid reason: ${input.reason}`, 'reason');
    const settled = input.refundAmount + input.outOfBandAmount + input.creditAmount;
    const amount = input.amount ?? settled;
    if (amount <= 0) fail(400, 'The credit note amount must be positive.', 'amount');
    if (invoice.status === 'paid' && settled !== amount)
      fail(
        400,
        'The sum of refund_amount, credit_amount and out_of_band_amount must equal the credit note amount.',
        'amount',
      );
    const earlier = [...this.creditNotes.values()]
      .filter((note) => note.invoice === invoice.id)
      .reduce((sum, note) => sum + note.total, 0);
    if (earlier + amount > invoice.total)
      fail(
        400,
        `The credit note amount (${amount}) exceeds the amount that can still be credited (${invoice.total - earlier}).`,
        'amount',
      );
    const count = [...this.creditNotes.values()].filter((note) => note.invoice === invoice.id).length;
    const note: CreditNote = {
      id: this.newId('cn'),
      object: 'credit_note',
      created: this.nowSeconds(),
      number: `${invoice.id.slice(3, 11).toUpperCase()}-CN-${String(count + 1).padStart(2, '0')}`,
      invoice: invoice.id,
      customer: invoice.customer,
      currency: invoice.currency,
      status: 'issued',
      type: invoice.status === 'paid' ? 'post_payment' : 'pre_payment',
      amount,
      total: amount,
      refund_amount: input.refundAmount,
      out_of_band_amount: input.outOfBandAmount,
      credit_amount: input.creditAmount,
      reason: input.reason,
      memo: input.memo,
      metadata: input.metadata,
      livemode: false,
    };
    this.creditNotes.set(note.id, note);
    if (input.refundAmount > 0)
      this.refunded.set(invoice.id, (this.refunded.get(invoice.id) ?? 0) + input.refundAmount);
    await this.emit('credit_note.created', note);
    return note;
  }

  // --- the Customer Portal: updating the payment method ------------------------------------------

  createPortalSession(input: {
    customer: string;
    returnUrl: string | null;
    locale: string | null;
    flow: 'payment_method_update' | null;
    completedUrl: string | null;
  }): PortalSession {
    this.customer(input.customer);
    const id = `bps_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
    const session: PortalSession = {
      id,
      object: 'billing_portal.session',
      created: this.nowSeconds(),
      customer: input.customer,
      return_url: input.returnUrl,
      locale: input.locale,
      url: `${this.options.checkoutBaseUrl}/p/session/${id}`,
      flow: input.flow
        ? {
            type: input.flow,
            after_completion: input.completedUrl
              ? { type: 'redirect', redirect: { return_url: input.completedUrl } }
              : { type: 'portal_homepage', redirect: null },
          }
        : null,
      livemode: false,
    };
    this.portalSessions.set(id, session);
    return session;
  }

  /**
   * The portal's "update payment method": the new method becomes the customer's default and that of
   * each of its live subscriptions, so their next charge (and any retry of an overdue invoice) uses it.
   */
  async updatePaymentMethod(
    sessionId: string,
    method: EnteredPaymentMethod,
  ): Promise<{ ok: true; paymentMethod: PaymentMethod } | { ok: false; message: string; code: string }> {
    const session = this.portalSessions.get(sessionId);
    if (!session)
      return { ok: false, message: 'This portal session does not exist.', code: 'session_closed' };
    const attached = this.attachPaymentMethod(session.customer, method, 'setup');
    if (!attached.ok) return attached;
    await this.emit('payment_method.attached', attached.paymentMethod);
    await this.emit('customer.updated', this.customer(session.customer));
    for (const subscription of this.subscriptions.values()) {
      if (subscription.customer !== session.customer || subscription.status === 'canceled') continue;
      const previous = subscription.default_payment_method;
      subscription.default_payment_method = attached.paymentMethod.id;
      await this.emit('customer.subscription.updated', subscription, { default_payment_method: previous });
    }
    return attached;
  }

  // --- the clock ---------------------------------------------------------------------------------

  /**
   * Runs what is due at the emulator's `now`, as Stripe's own scheduler would: SEPA debits settle,
   * failed payments are retried on their schedule, periods renew (or end when cancelled at period
   * end), and undelivered webhooks are sent again. Tests move `now` and call this instead of waiting.
   */
  async advance(): Promise<{
    renewed: number;
    retried: number;
    settled: number;
    ended: number;
    overdue: number;
  }> {
    const now = this.nowSeconds();
    const counts = { renewed: 0, retried: 0, settled: 0, ended: 0, overdue: 0 };
    for (const settlement of this.settlements.splice(0)) {
      const invoice = this.invoice(settlement.invoiceId);
      const subscription = this.subscription(invoice.parent.subscription_details.subscription);
      const funding = this.funding.get(settlement.paymentMethodId);
      counts.settled++;
      if (funding?.outcome === 'succeeds') await this.markPaid(invoice, subscription);
      else await this.markFailed(invoice, subscription);
    }
    for (const invoice of this.invoices.values()) {
      if (
        invoice.status === 'open' &&
        invoice.next_payment_attempt !== null &&
        invoice.attempt_count > 0 &&
        invoice.next_payment_attempt <= now
      ) {
        counts.retried++;
        const funding = this.funding.get(
          this.subscription(invoice.parent.subscription_details.subscription).default_payment_method ?? '',
        );
        // A retry of a SEPA debit settles at once here: the retry schedule already spans the days.
        const subscription = this.subscription(invoice.parent.subscription_details.subscription);
        invoice.attempt_count += 1;
        if (funding?.outcome === 'succeeds') await this.markPaid(invoice, subscription);
        else await this.markFailed(invoice, subscription);
      }
    }
    // An invoice paid by transfer that is past its due date makes its subscription past_due (Stripe's
    // default for send_invoice); paying it (out of band) makes it active again.
    for (const invoice of this.invoices.values()) {
      if (invoice.status !== 'open' || invoice.due_date === null || invoice.due_date > now) continue;
      const subscription = this.subscription(invoice.parent.subscription_details.subscription);
      if (subscription.status !== 'active') continue;
      counts.overdue++;
      subscription.status = 'past_due';
      await this.emit('invoice.overdue', invoice);
      await this.emit('customer.subscription.updated', subscription, { status: 'active' });
    }
    for (const subscription of this.subscriptions.values()) {
      const item = subscription.items.data[0];
      if (!item || subscription.status === 'canceled' || subscription.status === 'incomplete_expired')
        continue;
      while (item.current_period_end <= now) {
        if (subscription.cancel_at_period_end) {
          subscription.status = 'canceled';
          subscription.canceled_at = item.current_period_end;
          subscription.ended_at = item.current_period_end;
          counts.ended++;
          await this.emit('customer.subscription.deleted', subscription);
          break;
        }
        for (const each of subscription.items.data) {
          each.current_period_start = each.current_period_end;
          each.current_period_end = addInterval(each.current_period_end, each.price.recurring.interval);
        }
        counts.renewed++;
        await this.emit('customer.subscription.updated', subscription, {});
        await this.collect(this.createInvoice(subscription, 'subscription_cycle'));
      }
    }
    for (const pending of this.undelivered.splice(0)) await this.deliver(pending.event, pending.endpoint);
    return counts;
  }

  // --- events and webhooks -----------------------------------------------------------------------

  async emit(type: string, object: { id: string }, previous?: Json): Promise<StripeEvent> {
    const event: StripeEvent = {
      id: this.newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.nowSeconds(),
      type,
      // A snapshot, as Stripe's event holds the object as it was when the event happened.
      data: {
        object: structuredClone(object) as unknown as Json,
        ...(previous ? { previous_attributes: previous } : {}),
      },
      livemode: false,
      pending_webhooks: this.options.webhookEndpoints.length,
      request: { id: null, idempotency_key: null },
    };
    this.events.push(event);
    for (const endpoint of this.options.webhookEndpoints) await this.deliver(event, endpoint);
    return event;
  }

  /** POSTs the event as Stripe does, signed; a non-2xx answer or an error leaves it for the next run. */
  async deliver(event: StripeEvent, endpoint: WebhookEndpoint): Promise<boolean> {
    const payload = JSON.stringify(event, null, 2);
    const fetchFn = this.options.fetchFn ?? fetch;
    try {
      const response = await fetchFn(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': stripeSignature(payload, endpoint.secret, this.nowSeconds()),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
      });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Delivered again when the clock next runs, as Stripe retries.
    }
    this.undelivered.push({ event, endpoint });
    return false;
  }
}
