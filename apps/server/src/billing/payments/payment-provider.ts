/**
 * The one interface billing uses to take money (docs/decisions/080): Stripe is the implementation;
 * "pay on invoice" by bank transfer is a collection method of it (decision 143). Shapes are ours, not the provider's, so
 * the rest of billing never reads a provider object.
 */
export type Interval = 'month' | 'year';
/** Charged by the provider (card, SEPA debit), or invoiced and paid by bank transfer. */
export type CollectionMethod = 'charge_automatically' | 'send_invoice';

export type ProviderSubscriptionStatus =
  | 'incomplete'
  | 'incomplete_expired'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'paused';

export interface ProviderSubscription {
  id: string;
  customerId: string;
  status: ProviderSubscriptionStatus;
  seats: number;
  unitAmountCents: number;
  interval: Interval;
  periodStart: Date;
  periodEnd: Date;
  cancelAtPeriodEnd: boolean;
  collectionMethod: CollectionMethod;
  /** The kind of the payment method charged (null: paid by bank transfer, or not known). */
  paymentMethodType: 'card' | 'sepa_debit' | null;
  /** What we put on it at checkout: tenant_id, account_id, plan. */
  metadata: Record<string, string>;
}

export interface ProviderInvoiceLine {
  description: string;
  quantity: number;
  amountCents: number;
  periodStart: Date;
  periodEnd: Date;
  proration: boolean;
}

export interface ProviderInvoice {
  id: string;
  subscriptionId: string | null;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  currency: string;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  attemptCount: number;
  nextAttemptAt: Date | null;
  paidAt: Date | null;
  collectionMethod: CollectionMethod;
  /** Paid by bank transfer: when it is due. */
  dueDate: Date | null;
  periodStart: Date;
  periodEnd: Date;
  lines: ProviderInvoiceLine[];
}

/** A verified webhook event: what happened and to which object. */
export interface ProviderEvent {
  id: string;
  type: string;
  created: Date;
  subscriptionId: string | null;
  invoiceId: string | null;
}

export interface CheckoutRequest {
  customerId: string;
  productName: string;
  unitAmountCents: number;
  interval: Interval;
  seats: number;
  /** The tax rate to charge on top (null: reverse charge or outside the EU — no VAT). */
  taxRatePercent: number | null;
  successUrl: string;
  cancelUrl: string;
  locale: 'en' | 'de';
  metadata: Record<string, string>;
  idempotencyKey: string;
}

/** A subscription paid on invoice: started at once, each invoice paid by bank transfer when due. */
export interface InvoicedSubscriptionRequest {
  customerId: string;
  productName: string;
  unitAmountCents: number;
  interval: Interval;
  seats: number;
  taxRatePercent: number | null;
  daysUntilDue: number;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export interface SubscriptionChange {
  seats: number;
  /** A plan or term switch: the new price per seat (and its interval), prorated as the provider does. */
  price?: { productName: string; unitAmountCents: number; interval: Interval };
  metadata?: Record<string, string>;
  idempotencyKey: string;
}

export interface CreditNoteRequest {
  invoiceId: string;
  /** What is credited, tax included. */
  amountCents: number;
  /**
   * refund: paid through the provider, refunded to that payment; out_of_band: paid by bank transfer,
   * paid back by the operator outside the provider; reduce_amount_due: not paid yet, owed less.
   */
  settlement: 'refund' | 'out_of_band' | 'reduce_amount_due';
  memo: string;
  idempotencyKey: string;
}

export interface PaymentProvider {
  createCustomer(
    input: { email: string; name: string; country: string; language: 'en' | 'de'; accountId: string },
    idempotencyKey: string,
  ): Promise<string>;
  /** A hosted page where the buyer enters card or SEPA details and the subscription starts. */
  createCheckout(request: CheckoutRequest): Promise<{ id: string; url: string }>;
  /** Starts a subscription paid by bank transfer: no payment page, its first invoice is sent at once. */
  createInvoicedSubscription(request: InvoicedSubscriptionRequest): Promise<ProviderSubscription>;
  getSubscription(id: string): Promise<ProviderSubscription>;
  getInvoice(id: string): Promise<ProviderInvoice>;
  /**
   * A change of seats, plan or term, prorated as the provider computes it: onto the next invoice
   * when the term stays (decision 081), invoiced at once when the term changes (decision 118).
   */
  changeSubscription(id: string, change: SubscriptionChange): Promise<ProviderSubscription>;
  /** Refunds part or all of a paid invoice (the provider's credit note); answers its id. */
  createCreditNote(request: CreditNoteRequest): Promise<{ id: string }>;
  /** The provider's hosted page where the customer replaces its payment method. */
  createPaymentMethodUpdate(input: {
    customerId: string;
    /** Where the page's "back" leads. */
    returnUrl: string;
    /** Where the buyer lands once the new payment method is saved. */
    completedUrl: string;
    locale: 'en' | 'de';
    idempotencyKey: string;
  }): Promise<{ url: string }>;
  setCancelAtPeriodEnd(id: string, cancel: boolean, idempotencyKey: string): Promise<ProviderSubscription>;
  /** Records a payment made outside the provider (bank transfer), which settles the invoice. */
  markInvoicePaidOutOfBand(id: string, idempotencyKey: string): Promise<ProviderInvoice>;
  /** Checks the signature and age of a webhook; throws on anything not signed by the provider. */
  verifyWebhook(rawBody: Buffer, signatureHeader: string, now: Date): ProviderEvent;
}
