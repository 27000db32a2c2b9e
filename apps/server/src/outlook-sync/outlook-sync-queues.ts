/** Queues of the Outlook mirror (outlook-sync.jobs.ts). */
export const MESSAGE_CHANGED_QUEUE = 'outlook-sync.message-changed';
export const LIFECYCLE_QUEUE = 'outlook-sync.lifecycle';
export const RENEW_QUEUE = 'outlook-sync.renew';
export const RECONCILE_QUEUE = 'outlook-sync.reconcile';
export const DELTA_QUEUE = 'outlook-sync.delta';
/** Agreed with Team (team/team-mirror-port.ts): enqueued when a team mail's categories change. */
export const MIRROR_CATEGORIES_QUEUE = 'team.mirror-categories';

export interface MessageChangedJob {
  tenantId: string;
  mailboxObjectId: string;
  messageId: string;
}

export interface LifecycleJob {
  tenantId: string;
  subscriptionRowId: string;
  event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
}

/** Graph allows 10,080 minutes for messages; we ask for three days and renew a day before the end. */
export const SUBSCRIPTION_LIFETIME_MS = 3 * 24 * 60 * 60_000;
export const RENEW_BEFORE_MS = 24 * 60 * 60_000;
