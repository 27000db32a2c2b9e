import { type Database, withTenant } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { clientStateMatches } from './client-state.js';
import { subscriptionByGraphId } from './outlook-subscription.rows.js';
import {
  LIFECYCLE_QUEUE,
  type LifecycleJob,
  MESSAGE_CHANGED_QUEUE,
  type MessageChangedJob,
} from './outlook-sync-queues.js';

/** One entry of a `changeNotificationCollection` (docs/microsoft-365.md §4.9), fields as received. */
export interface ReceivedNotification {
  subscriptionId: string;
  tenantId: string;
  clientState?: string | null | undefined;
  changeType?: string | undefined;
  lifecycleEvent?: string | undefined;
  resourceData?: { id?: string | undefined } | undefined;
}

const LIFECYCLE_EVENTS = new Set<string>(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function tenantOf(db: Database, microsoftTenantId: string): Promise<string | undefined> {
  if (!GUID.test(microsoftTenantId)) return undefined;
  // Before the tenant is known: the one lookup by Microsoft tenant id across tenants.
  const result = await db.query<{ id: string }>('select id from tenants where microsoft_tenant_id = $1', [
    microsoftTenantId.toLowerCase(),
  ]);
  return result.rows[0]?.id;
}

/**
 * Turns what Graph POSTed into jobs, after checking each entry's clientState against the stored hash
 * of the subscription it names (constant time). Entries that do not match — forged, or for a
 * subscription we no longer have — are dropped without a word, so the endpoint tells an outsider
 * nothing. Work happens in the jobs: Graph wants an answer within seconds.
 */
export async function receiveNotifications(
  deps: { db: Database; jobs: JobQueue; now: () => Date },
  notifications: readonly ReceivedNotification[],
): Promise<{ accepted: number }> {
  let accepted = 0;
  for (const notification of notifications) {
    const tenantId = await tenantOf(deps.db, notification.tenantId);
    if (!tenantId) continue;
    const ok = await withTenant(deps.db, tenantId, async (tx) => {
      const row = await subscriptionByGraphId(tx, tenantId, notification.subscriptionId);
      if (!row || !clientStateMatches(notification.clientState, row.client_state_hash)) return false;
      if (notification.lifecycleEvent !== undefined) {
        if (!LIFECYCLE_EVENTS.has(notification.lifecycleEvent)) return false;
        const job: LifecycleJob = {
          tenantId,
          subscriptionRowId: row.id,
          event: notification.lifecycleEvent as LifecycleJob['event'],
        };
        await deps.jobs.send(LIFECYCLE_QUEUE, job, { transaction: tx });
        return true;
      }
      const messageId = notification.resourceData?.id;
      if (!messageId) return false;
      const job: MessageChangedJob = { tenantId, mailboxObjectId: row.mailbox_object_id, messageId };
      await deps.jobs.send(MESSAGE_CHANGED_QUEUE, job, { transaction: tx });
      await tx.query(
        'update outlook_subscriptions set last_notification_at = $3 where tenant_id = $1 and id = $2',
        [tenantId, row.id, deps.now()],
      );
      return true;
    });
    if (ok) accepted += 1;
  }
  return { accepted };
}
