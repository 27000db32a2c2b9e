import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { deleteExpiredAuditEvents } from './delete-expired-audit-events.js';

export const AUDIT_RETENTION_JOB = 'audit.retention';
export const AUDIT_RETENTION_CRON = '40 3 * * *';

/** The nightly deletion of audit entries past each tenant's retention. */
export function auditJobs({ context }: JobDeps): JobDefinition[] {
  return [
    {
      queue: AUDIT_RETENTION_JOB,
      options: { retryLimit: 3, retryDelaySeconds: 300 },
      cron: AUDIT_RETENTION_CRON,
      async handler() {
        await deleteExpiredAuditEvents(context.db, context.now());
      },
    },
  ];
}
