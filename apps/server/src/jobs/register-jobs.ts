import { auditJobs } from '../audit/audit.jobs.js';
import { billingJobs } from '../billing/billing.jobs.js';
import { contactJobs } from '../contact/contact.jobs.js';
import { licensingJobs } from '../licensing/licensing.jobs.js';
import { newsletterJobs } from '../newsletter/newsletter.jobs.js';
import { outlookSyncJobs } from '../outlook-sync/outlook-sync.jobs.js';
import { privacyJobs } from '../privacy/privacy.jobs.js';
import { registrationJobs } from '../registration/registration.jobs.js';
import { rightsJobs } from '../rights/rights.jobs.js';
import { teamJobs } from '../team/team.jobs.js';
import { transferJobs } from '../transfer/transfer.jobs.js';
import { webSessionJobs } from '../web-session/web-session.jobs.js';
import type { JobDefinition, JobDeps } from './job-definition.js';
import type { JobQueue } from './job-queue.js';
import type { WorkerLeases } from './worker-leases.js';

/** Every feature's jobs: the one list of queues this server works and schedules. */
export async function allJobs(deps: JobDeps): Promise<JobDefinition[]> {
  return [
    ...privacyJobs(deps),
    ...webSessionJobs(deps),
    ...transferJobs(deps),
    ...contactJobs(deps),
    ...(await newsletterJobs(deps)),
    ...auditJobs(deps),
    ...licensingJobs(deps),
    ...rightsJobs(deps),
    ...(await registrationJobs(deps)),
    ...teamJobs(deps),
    ...outlookSyncJobs(deps),
    ...billingJobs(deps),
  ];
}

/**
 * Creates each queue, starts its workers in this process and sets its schedule (call once at start).
 * `work: false` (PROCESS_ROLE=api) only creates the queues, so requests can enqueue into them.
 */
export async function registerJobs(
  jobs: JobQueue,
  definitions: JobDefinition[],
  options: {
    work: boolean;
    leases?: WorkerLeases;
    /** Handlers wait for this before they start (a demo server's own listening socket). */
    startWhen?: Promise<void>;
  } = { work: true },
): Promise<void> {
  for (const definition of definitions) {
    await jobs.createQueue(definition.queue, definition.options);
    if (!options.work) continue;
    for (let worker = 0; worker < (definition.workers ?? 1); worker++) {
      const handler = async (job: Parameters<JobDefinition['handler']>[0]) => {
        await options.startWhen;
        return definition.handler(job);
      };
      await jobs.work(
        definition.queue,
        options.leases ? options.leases.wrap(definition.queue, handler) : handler,
      );
    }
    if (definition.cron) await jobs.schedule(definition.queue, definition.cron);
  }
}
