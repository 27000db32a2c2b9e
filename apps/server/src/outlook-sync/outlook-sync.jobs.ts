import { withTenant } from '../db/database.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { applyMessageChange } from './apply-message-change.js';
import { catchUpByDelta } from './catch-up-by-delta.js';
import { mirrorCategories } from './mirror-categories.js';
import { subscriptionById, subscriptionsOfTenant } from './outlook-subscription.rows.js';
import { LIFECYCLE_PATH, NOTIFICATION_PATH } from './outlook-sync.routes.js';
import type { OutlookSyncDeps } from './outlook-sync-deps.js';
import { type MirrorCategoriesJob, type OutlookSyncPorts, outlookSyncPortsOf } from './outlook-sync-ports.js';
import {
  DELTA_QUEUE,
  LIFECYCLE_QUEUE,
  type LifecycleJob,
  MESSAGE_CHANGED_QUEUE,
  type MessageChangedJob,
  MIRROR_CATEGORIES_QUEUE,
  RECONCILE_QUEUE,
  RENEW_QUEUE,
} from './outlook-sync-queues.js';
import { teamPorts } from './team-ports.js';
import {
  dueForRenewal,
  forgetGraphSubscription,
  renewSubscription,
  unwatchMailbox,
  watchMailbox,
} from './watch-mailbox.js';

/** Builds the mirror's dependencies; the ports are looked up per call so tests can swap them. */
export function outlookSyncDeps(
  { context, log, signal }: JobDeps,
  fallback: OutlookSyncPorts = teamPorts(context),
): OutlookSyncDeps {
  const graphFactory = tenantGraphFactory(context.config);
  const deps: OutlookSyncDeps = {
    db: context.db,
    jobs: context.jobs,
    graphFor: (microsoftTenantId) => graphFactory(microsoftTenantId, { profile: 'worker', signal }),
    now: context.now,
    notificationUrl: `${context.config.publicBaseUrl}${NOTIFICATION_PATH}`,
    lifecycleNotificationUrl: `${context.config.publicBaseUrl}${LIFECYCLE_PATH}`,
    get ports() {
      return outlookSyncPortsOf(context.db, fallback);
    },
    log,
  };
  return deps;
}

/** Every watched mailbox of every tenant, tenant by tenant (the scheduled runs). */
async function eachSubscription(
  deps: OutlookSyncDeps,
  work: (row: Awaited<ReturnType<typeof subscriptionsOfTenant>>[number]) => Promise<void>,
): Promise<void> {
  // Across tenants, like the retention runs: only which tenants have rows; their rows under RLS.
  const tenants = await deps.db.query<{ tenant_id: string }>(
    'select distinct tenant_id from outlook_subscriptions',
  );
  for (const { tenant_id: tenantId } of tenants.rows) {
    const rows = await withTenant(deps.db, tenantId, (tx) => subscriptionsOfTenant(tx, tenantId));
    for (const row of rows) {
      try {
        await work(row);
      } catch (error) {
        // One mailbox's trouble (consent withdrawn, mailbox deleted) must not stop the others.
        deps.log.warn({ err: error, subscription: row.id }, 'outlook-sync: mailbox skipped this run');
      }
    }
  }
}

/** Subscribes the mailboxes Team wants watched and drops the ones it no longer does. */
export async function reconcileSubscriptions(deps: OutlookSyncDeps): Promise<void> {
  const tenants = await deps.db.query<{ id: string }>(`select id from tenants where state = 'active'`);
  for (const { id: tenantId } of tenants.rows) {
    const wanted = new Set(
      (await deps.ports.listMirroredMailboxes(deps.db, tenantId)).map((id) => id.toLowerCase()),
    );
    const rows = await withTenant(deps.db, tenantId, (tx) => subscriptionsOfTenant(tx, tenantId));
    for (const row of rows) {
      if (!wanted.has(row.mailbox_object_id)) await unwatchMailbox(deps, row);
    }
    for (const mailbox of wanted) {
      try {
        await watchMailbox(deps, tenantId, mailbox);
      } catch (error) {
        deps.log.warn({ err: error }, 'outlook-sync: could not watch a mailbox');
      }
    }
  }
}

export async function handleLifecycle(deps: OutlookSyncDeps, job: LifecycleJob): Promise<void> {
  const row = await withTenant(deps.db, job.tenantId, (tx) =>
    subscriptionById(tx, job.tenantId, job.subscriptionRowId),
  );
  if (!row) return;
  switch (job.event) {
    case 'reauthorizationRequired':
      await renewSubscription(deps, row);
      return;
    case 'subscriptionRemoved': {
      await forgetGraphSubscription(deps, row);
      const fresh = await watchMailbox(deps, row.tenant_id, row.mailbox_object_id);
      await catchUpByDelta(deps, fresh);
      return;
    }
    case 'missed':
      await catchUpByDelta(deps, row);
      return;
  }
}

/**
 * The Outlook mirror's queues (issue 9 item 5): notifications and lifecycle events become jobs; a
 * schedule renews subscriptions a day before they lapse, reconciles which mailboxes are watched,
 * and catches up by delta query in case notifications were lost; and Team's category changes are
 * written onto every member's copy.
 */
export function outlookSyncJobs(jobDeps: JobDeps): JobDefinition[] {
  const deps = outlookSyncDeps(jobDeps);
  const changed: JobDefinition<MessageChangedJob> = {
    queue: MESSAGE_CHANGED_QUEUE,
    options: { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true },
    workers: 2,
    handler: async (job) => applyMessageChange(deps, job.data),
  };
  const lifecycle: JobDefinition<LifecycleJob> = {
    queue: LIFECYCLE_QUEUE,
    options: { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true },
    handler: async (job) => handleLifecycle(deps, job.data),
  };
  const mirror: JobDefinition<MirrorCategoriesJob> = {
    queue: MIRROR_CATEGORIES_QUEUE,
    // One waiting job per team mail (Team sends the mail's id as singletonKey): the worker reads the
    // mail's categories when it runs, so a burst of changes is mirrored by one run, not one per change.
    options: { retryLimit: 8, retryDelaySeconds: 15, retryBackoff: true, policy: 'short' },
    workers: 2,
    handler: async (job) => {
      await mirrorCategories(deps, job.data);
    },
  };
  return [
    changed,
    lifecycle,
    mirror,
    {
      queue: RENEW_QUEUE,
      options: { retryLimit: 2 },
      cron: '*/30 * * * *',
      handler: () =>
        eachSubscription(deps, async (row) => {
          if (dueForRenewal(row, deps.now())) await renewSubscription(deps, row);
        }),
    },
    {
      queue: RECONCILE_QUEUE,
      options: { retryLimit: 2 },
      cron: '*/10 * * * *',
      handler: () => reconcileSubscriptions(deps),
    },
    {
      queue: DELTA_QUEUE,
      options: { retryLimit: 2 },
      cron: '7,22,37,52 * * * *',
      handler: () =>
        eachSubscription(deps, async (row) => {
          await catchUpByDelta(deps, row);
        }),
    },
  ];
}
