import type { AppContext } from '../app-context.js';
import { deleteExpiredAuditEvents } from './delete-expired-audit-events.js';

export const AUDIT_RETENTION_JOB = 'audit.retention';
export const AUDIT_RETENTION_CRON = '40 3 * * *';

/** Schedules the nightly deletion of audit entries past each tenant's retention. */
export async function registerAuditJobs(context: AppContext): Promise<void> {
  const { jobs, db } = context;
  await jobs.createQueue(AUDIT_RETENTION_JOB, { retryLimit: 3, retryDelaySeconds: 300 });
  await jobs.work(AUDIT_RETENTION_JOB, async () => {
    await deleteExpiredAuditEvents(db, context.now());
  });
  await jobs.schedule(AUDIT_RETENTION_JOB, AUDIT_RETENTION_CRON);
}
