import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The commercial marketplace's side of SaaS subscriptions, in memory: purchases waiting for the
 * publisher's activation, their landing-page tokens, and the operations (webhook actions) with the
 * status the publisher acknowledges. Shapes follow the SaaS fulfillment API v2 (api-version
 * 2018-08-31); see README.md.
 */
export type SaasStatus = 'PendingFulfillmentStart' | 'Subscribed' | 'Suspended' | 'Unsubscribed';
export type SaasAction = 'ChangePlan' | 'ChangeQuantity' | 'Suspend' | 'Reinstate' | 'Unsubscribe' | 'Renew';
export type OperationStatus = 'NotStarted' | 'InProgress' | 'Failed' | 'Succeeded' | 'Conflict';
export type TermUnit = 'P1M' | 'P1Y';

export const SAAS_ACTIONS = [
  'ChangePlan',
  'ChangeQuantity',
  'Suspend',
  'Reinstate',
  'Unsubscribe',
  'Renew',
] as const satisfies readonly SaasAction[];

/** Actions the publisher accepts or rejects by PATCHing the operation; the others only notify. */
const NEEDS_ACK: ReadonlySet<SaasAction> = new Set(['ChangePlan', 'ChangeQuantity', 'Reinstate']);

export interface SaasParty {
  emailId: string;
  objectId: string;
  tenantId: string;
  puid: string;
}

export interface SaasSubscription {
  id: string;
  name: string;
  publisherId: string;
  offerId: string;
  planId: string;
  quantity: number;
  beneficiary: SaasParty;
  purchaser: SaasParty;
  allowedCustomerOperations: string[];
  sessionMode: 'None';
  isFreeTrial: boolean;
  isTest: boolean;
  sandboxType: 'None';
  saasSubscriptionStatus: SaasStatus;
  term: { startDate: string | null; endDate: string | null; termUnit: TermUnit; chargeDuration: null };
  autoRenew: boolean;
  created: string;
  lastModified: string;
}

export interface SaasOperation {
  id: string;
  activityId: string;
  subscriptionId: string;
  offerId: string;
  publisherId: string;
  planId: string;
  quantity: number;
  action: SaasAction;
  timeStamp: string;
  status: OperationStatus;
  operationRequestSource: 'Azure' | 'Partner';
  errorStatusCode: string;
  errorMessage: string;
}

export interface OfferPlan {
  planId: string;
  displayName: string;
  description: string;
  minQuantity: number;
  maxQuantity: number;
}

export interface MarketplaceOffer {
  publisherId: string;
  offerId: string;
  plans: OfferPlan[];
}

/** Mailissa's offer as the demo publishes it: plan ids are the product's (billing/plans.ts). */
export const DEMO_OFFER: MarketplaceOffer = {
  publisherId: 'mailissa-demo',
  offerId: 'mailissa',
  plans: [
    {
      planId: 'team',
      displayName: 'Team',
      description: 'Shared mail in Outlook',
      minQuantity: 1,
      maxQuantity: 10_000,
    },
    {
      planId: 'transfer',
      displayName: 'Transfer',
      description: 'Mail to where work happens',
      minQuantity: 1,
      maxQuantity: 10_000,
    },
    {
      planId: 'suite',
      displayName: 'Suite',
      description: 'Team and Transfer',
      minQuantity: 1,
      maxQuantity: 10_000,
    },
  ],
};

/** The landing-page token is valid for 24 hours (Microsoft's documented lifetime). */
const TOKEN_LIFETIME_MS = 24 * 3600_000;

/** A refusal in the API's terms: the HTTP status and a message the route sends as the error body. */
export class MarketplaceFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MarketplaceFailure';
  }
}

function fail(status: number, code: string, message: string): never {
  throw new MarketplaceFailure(status, code, message);
}

const dateOnly = (value: Date) => `${value.toISOString().slice(0, 10)}T00:00:00Z`;

/** The term that starts on `start`: a month or a year, `endDate` being its last day. */
function termFrom(start: Date, unit: TermUnit): { startDate: string; endDate: string } {
  const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  const next = new Date(first);
  if (unit === 'P1M') next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  return { startDate: dateOnly(first), endDate: dateOnly(new Date(next.getTime() - 86_400_000)) };
}

export class MarketplaceStore {
  private readonly subscriptions = new Map<string, SaasSubscription>();
  private readonly operations = new Map<string, SaasOperation>();
  private readonly tokens = new Map<string, { subscriptionId: string; expiresAt: number }>();

  constructor(
    private readonly offer: MarketplaceOffer,
    private readonly now: () => Date,
  ) {}

  plans(): OfferPlan[] {
    return this.offer.plans;
  }

  all(): SaasSubscription[] {
    return [...this.subscriptions.values()];
  }

  /** A customer buys in AppSource or the Azure portal: a pending subscription and its landing token. */
  purchase(input: {
    purchaser: Omit<SaasParty, 'puid'>;
    planId: string;
    quantity: number;
    termUnit: TermUnit;
    name?: string;
  }): { subscription: SaasSubscription; token: string } {
    this.plan(input.planId);
    this.checkQuantity(input.planId, input.quantity);
    const at = this.now().toISOString();
    const party: SaasParty = {
      ...input.purchaser,
      puid: randomBytes(8).readBigUInt64BE().toString().slice(0, 16),
    };
    const subscription: SaasSubscription = {
      id: randomUUID(),
      name: input.name ?? 'Mailissa',
      publisherId: this.offer.publisherId,
      offerId: this.offer.offerId,
      planId: input.planId,
      quantity: input.quantity,
      beneficiary: party,
      purchaser: party,
      allowedCustomerOperations: ['Delete', 'Update', 'Read'],
      sessionMode: 'None',
      isFreeTrial: false,
      isTest: false,
      sandboxType: 'None',
      saasSubscriptionStatus: 'PendingFulfillmentStart',
      term: { startDate: null, endDate: null, termUnit: input.termUnit, chargeDuration: null },
      autoRenew: true,
      created: at,
      lastModified: at,
    };
    this.subscriptions.set(subscription.id, subscription);
    return { subscription, token: this.issueToken(subscription.id) };
  }

  /** "Configure account" again: a fresh token for a subscription that exists. */
  issueToken(subscriptionId: string): string {
    this.get(subscriptionId);
    // Base64 with + and /, as Microsoft's tokens have: the landing page must URL-decode it.
    const token = randomBytes(96).toString('base64');
    this.tokens.set(token, { subscriptionId, expiresAt: this.now().getTime() + TOKEN_LIFETIME_MS });
    return token;
  }

  resolve(token: string): SaasSubscription {
    const entry = this.tokens.get(token);
    if (!entry || entry.expiresAt <= this.now().getTime())
      fail(400, 'BadRequest', 'The marketplace token is invalid or expired.');
    return this.get(entry.subscriptionId);
  }

  get(id: string): SaasSubscription {
    const subscription = this.subscriptions.get(id.toLowerCase());
    if (!subscription) fail(404, 'NotFound', `Subscription ${id} was not found.`);
    return subscription;
  }

  activate(id: string): void {
    const subscription = this.get(id);
    switch (subscription.saasSubscriptionStatus) {
      case 'Suspended':
        fail(400, 'BadRequest', 'The subscription is suspended.');
        break;
      case 'Unsubscribed':
        fail(404, 'NotFound', 'The subscription is unsubscribed.');
        break;
      case 'Subscribed':
        return;
      case 'PendingFulfillmentStart': {
        const term = termFrom(this.now(), subscription.term.termUnit);
        subscription.term = { ...subscription.term, ...term };
        this.touch(subscription, 'Subscribed');
      }
    }
  }

  /**
   * Something changed on Microsoft's side (the customer in the admin center, billing, or the publisher
   * through PATCH/DELETE): an operation. Notify-only actions take effect at once; ChangePlan,
   * ChangeQuantity and Reinstate wait for the publisher's PATCH of the operation.
   */
  startOperation(
    subscriptionId: string,
    action: SaasAction,
    change: { planId?: string; quantity?: number },
    source: 'Azure' | 'Partner',
  ): SaasOperation {
    const subscription = this.get(subscriptionId);
    const status = subscription.saasSubscriptionStatus;
    const requireStatus = (...allowed: SaasStatus[]) => {
      if (!allowed.includes(status))
        fail(400, 'BadRequest', `${action} is not possible while the subscription is ${status}.`);
    };
    let planId = subscription.planId;
    let quantity = subscription.quantity;
    switch (action) {
      case 'ChangePlan':
        requireStatus('Subscribed');
        if (!change.planId) fail(400, 'BadRequest', 'planId is required.');
        this.plan(change.planId);
        if (change.planId === subscription.planId) fail(409, 'Conflict', 'That plan is the current plan.');
        this.checkQuantity(change.planId, quantity);
        planId = change.planId;
        break;
      case 'ChangeQuantity':
        requireStatus('Subscribed');
        if (change.quantity === undefined) fail(400, 'BadRequest', 'quantity is required.');
        this.checkQuantity(planId, change.quantity);
        if (change.quantity === subscription.quantity)
          fail(409, 'Conflict', 'That quantity is the current quantity.');
        quantity = change.quantity;
        break;
      case 'Suspend':
      case 'Renew':
        requireStatus('Subscribed');
        break;
      case 'Reinstate':
        requireStatus('Suspended');
        break;
      case 'Unsubscribe':
        requireStatus('Subscribed', 'Suspended', 'PendingFulfillmentStart');
        break;
    }
    const operation: SaasOperation = {
      id: randomUUID(),
      activityId: randomUUID(),
      subscriptionId: subscription.id,
      offerId: subscription.offerId,
      publisherId: subscription.publisherId,
      planId,
      quantity,
      action,
      timeStamp: this.now().toISOString(),
      status: NEEDS_ACK.has(action) ? 'InProgress' : 'Succeeded',
      operationRequestSource: source,
      errorStatusCode: '',
      errorMessage: '',
    };
    this.operations.set(operation.id, operation);
    if (!NEEDS_ACK.has(action)) this.apply(operation);
    return operation;
  }

  operation(subscriptionId: string, operationId: string): SaasOperation {
    this.get(subscriptionId);
    const operation = this.operations.get(operationId.toLowerCase());
    if (!operation || operation.subscriptionId !== subscriptionId.toLowerCase())
      fail(404, 'NotFound', `Operation ${operationId} was not found.`);
    return operation;
  }

  pendingOperations(subscriptionId: string): SaasOperation[] {
    this.get(subscriptionId);
    return [...this.operations.values()].filter(
      (operation) =>
        operation.subscriptionId === subscriptionId.toLowerCase() && operation.status === 'InProgress',
    );
  }

  /** The publisher's answer to an operation: Success applies it, Failure rejects it. */
  acknowledge(subscriptionId: string, operationId: string, outcome: 'Success' | 'Failure'): void {
    const operation = this.operation(subscriptionId, operationId);
    const wanted: OperationStatus = outcome === 'Success' ? 'Succeeded' : 'Failed';
    if (operation.status === wanted) return;
    if (operation.status !== 'InProgress')
      fail(409, 'Conflict', `Operation ${operationId} is ${operation.status} already.`);
    if (outcome === 'Failure') {
      operation.status = 'Failed';
      return;
    }
    operation.status = 'Succeeded';
    this.apply(operation);
  }

  private apply(operation: SaasOperation): void {
    const subscription = this.get(operation.subscriptionId);
    switch (operation.action) {
      case 'ChangePlan':
        subscription.planId = operation.planId;
        this.touch(subscription, subscription.saasSubscriptionStatus);
        break;
      case 'ChangeQuantity':
        subscription.quantity = operation.quantity;
        this.touch(subscription, subscription.saasSubscriptionStatus);
        break;
      case 'Suspend':
        this.touch(subscription, 'Suspended');
        break;
      case 'Reinstate':
        this.touch(subscription, 'Subscribed');
        break;
      case 'Unsubscribe':
        this.touch(subscription, 'Unsubscribed');
        break;
      case 'Renew': {
        // The next term starts the day after the last one ends.
        const ended = subscription.term.endDate ? new Date(subscription.term.endDate) : this.now();
        const term = termFrom(new Date(ended.getTime() + 86_400_000), subscription.term.termUnit);
        subscription.term = { ...subscription.term, ...term };
        this.touch(subscription, 'Subscribed');
      }
    }
  }

  private touch(subscription: SaasSubscription, status: SaasStatus): void {
    subscription.saasSubscriptionStatus = status;
    subscription.lastModified = this.now().toISOString();
  }

  private plan(planId: string): OfferPlan {
    const plan = this.offer.plans.find((candidate) => candidate.planId === planId);
    if (!plan) fail(400, 'BadRequest', `The offer has no plan ${planId}.`);
    return plan;
  }

  private checkQuantity(planId: string, quantity: number): void {
    const plan = this.plan(planId);
    if (!Number.isInteger(quantity) || quantity < plan.minQuantity || quantity > plan.maxQuantity)
      fail(
        400,
        'BadRequest',
        `quantity must be a whole number from ${plan.minQuantity} to ${plan.maxQuantity}.`,
      );
  }
}
