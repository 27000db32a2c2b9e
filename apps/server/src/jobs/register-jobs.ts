import { auditJobs } from '../audit/audit.jobs.js';
import { billingJobs } from '../billing/billing.jobs.js';
import { contactJobs } from '../contact/contact.jobs.js';
import { licensingJobs } from '../licensing/licensing.jobs.js';
import { newsletterJobs } from '../newsletter/newsletter.jobs.js';
import { privacyJobs } from '../privacy/privacy.jobs.js';
import { registrationJobs } from '../registration/registration.jobs.js';
import { rightsJobs } from '../rights/rights.jobs.js';
import { transferJobs } from '../transfer/transfer.jobs.js';
import { webSessionJobs } from '../web-session/web-session.jobs.js';
import type { JobDefinition, JobDeps } from './job-definition.js';
import type { JobQueue } from './job-queue.js';

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
    ...billingJobs(deps),
  ];
}

/** Creates each queue, starts its workers in this process and sets its schedule (call once at start). */
export async function registerJobs(jobs: JobQueue, definitions: JobDefinition[]): Promise<void> {
  for (const definition of definitions) {
    await jobs.createQueue(definition.queue, definition.options);
    for (let worker = 0; worker < (definition.workers ?? 1); worker++) {
      await jobs.work(definition.queue, (job) => definition.handler(job));
    }
    if (definition.cron) await jobs.schedule(definition.queue, definition.cron);
  }
}
