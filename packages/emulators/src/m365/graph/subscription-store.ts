import { randomBytes, randomUUID } from 'node:crypto';
import type { MailboxStore, StoredMessage } from './mailbox-store.js';

/** What Graph's change notifications may report for Outlook messages (docs/microsoft-365.md §4.9). */
export type ChangeType = 'created' | 'updated' | 'deleted';
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface Subscription {
  id: string;
  tenantId: string;
  /** The delegated user who created it; null for an application. */
  creatorId: string | null;
  applicationId: string;
  /** As the client wrote it; `mailboxId` is what it resolved to. */
  resource: string;
  mailboxId: string;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: Date;
}

/** One POST the emulator made to a client's endpoint: what tests look at. */
export interface DeliveryRecord {
  subscriptionId: string;
  kind: 'change' | 'lifecycle';
  url: string;
  status: number | 'failed';
}

/** Graph waits up to 10 s for the validation answer and about 3 s for a notification's 2xx. */
const VALIDATION_TIMEOUT_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 3_000;

export class SubscriptionValidationError extends Error {}

/**
 * Subscriptions of every tenant, in memory: created after the validation handshake, expired lazily
 * at `expirationDateTime`, and told about every message change in their mailbox, which they POST to
 * `notificationUrl` as a `changeNotificationCollection` (a failed POST becomes a `missed` lifecycle
 * notification when the client gave a lifecycle URL).
 */
export class SubscriptionStore {
  private readonly byId = new Map<string, Subscription>();
  private readonly inFlight = new Set<Promise<void>>();
  readonly deliveries: DeliveryRecord[] = [];

  constructor(
    private readonly now: () => Date,
    mailboxes: MailboxStore,
    private readonly log: (message: string) => void,
  ) {
    mailboxes.onChange((message, changeType) => this.messageChanged(message, changeType));
  }

  /** Live subscriptions; expired ones are removed on the way, as Graph deletes them. */
  all(): Subscription[] {
    const now = this.now().getTime();
    for (const [id, subscription] of this.byId) {
      if (subscription.expirationDateTime.getTime() <= now) this.byId.delete(id);
    }
    return [...this.byId.values()];
  }

  get(id: string): Subscription | undefined {
    return this.all().find((s) => s.id === id.toLowerCase());
  }

  /** Runs the handshake on each URL, then stores the subscription. */
  async create(input: Omit<Subscription, 'id'>): Promise<Subscription> {
    await this.validate(input.notificationUrl);
    if (input.lifecycleNotificationUrl && input.lifecycleNotificationUrl !== input.notificationUrl) {
      await this.validate(input.lifecycleNotificationUrl);
    }
    const subscription: Subscription = { ...input, id: randomUUID() };
    this.byId.set(subscription.id, subscription);
    return subscription;
  }

  remove(id: string): boolean {
    return this.byId.delete(id.toLowerCase());
  }

  /**
   * Sends a lifecycle notification for a subscription (tests and the demo trigger them; Graph does
   * when a token behind a subscription lapses or the mailbox's subscriptions are dropped).
   * `subscriptionRemoved` also removes it, as Graph has by the time it says so.
   */
  lifecycle(id: string, event: LifecycleEvent): boolean {
    const subscription = this.get(id);
    if (!subscription?.lifecycleNotificationUrl) return false;
    if (event === 'subscriptionRemoved') this.byId.delete(subscription.id);
    this.post(subscription, 'lifecycle', subscription.lifecycleNotificationUrl, {
      value: [
        {
          lifecycleEvent: event,
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: subscription.expirationDateTime.toISOString(),
          clientState: subscription.clientState,
          tenantId: subscription.tenantId,
        },
      ],
    });
    return true;
  }

  /** Resolves once every POST started so far has been answered or has failed. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async validate(url: string): Promise<void> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()} ${randomBytes(6).toString('hex')}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    let answer: string;
    let status: number;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
      });
      status = response.status;
      answer = await response.text();
    } catch {
      throw new SubscriptionValidationError(
        `Subscription validation request failed. Notification endpoint ${url} did not answer within ${VALIDATION_TIMEOUT_MS / 1000} seconds.`,
      );
    }
    if (status !== 200) {
      throw new SubscriptionValidationError(
        `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (got ${status}).`,
      );
    }
    if (answer !== token) {
      throw new SubscriptionValidationError(
        'Subscription validation request failed. Response must exactly match validationToken query parameter.',
      );
    }
  }

  private messageChanged(message: StoredMessage, changeType: ChangeType): void {
    for (const subscription of this.all()) {
      if (subscription.mailboxId !== message.userId || !subscription.changeTypes.includes(changeType))
        continue;
      // Exchange spells the resource path with capitals and the mailbox's object id (observed).
      const resource = `Users/${message.userId}/Messages/${message.id}`;
      this.post(subscription, 'change', subscription.notificationUrl, {
        value: [
          {
            subscriptionId: subscription.id,
            subscriptionExpirationDateTime: subscription.expirationDateTime.toISOString(),
            changeType,
            resource,
            resourceData: {
              '@odata.type': '#Microsoft.Graph.Message',
              '@odata.id': resource,
              '@odata.etag': `W/"${message.changeCount}"`,
              id: message.id,
            },
            clientState: subscription.clientState,
            tenantId: subscription.tenantId,
          },
        ],
      });
    }
  }

  private post(subscription: Subscription, kind: DeliveryRecord['kind'], url: string, body: unknown): void {
    const delivery = (async () => {
      let status: number | 'failed';
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 'failed';
      }
      this.deliveries.push({ subscriptionId: subscription.id, kind, url, status });
      const delivered = typeof status === 'number' && status >= 200 && status < 300;
      if (!delivered) {
        this.log(`emulator: notification for subscription ${subscription.id} not accepted (${status})`);
        // Graph gives up on an endpoint that keeps failing and says so with a `missed` event (§4.9).
        if (kind === 'change' && subscription.lifecycleNotificationUrl) {
          this.lifecycle(subscription.id, 'missed');
        }
      }
    })();
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }
}
