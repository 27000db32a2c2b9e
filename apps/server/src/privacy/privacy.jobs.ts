import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { runPrivacyRetention } from './privacy-retention.js';

export const PRIVACY_RETENTION_JOB = 'privacy-retention';
/** On the hour, so a salt is gone as its 48 hours end and a log row outlives its days by under an hour. */
export const PRIVACY_RETENTION_CRON = '0 * * * *';

/** The retention run for usage log, salts, security blocks and consent records. */
export function privacyJobs({ context }: JobDeps): JobDefinition[] {
  const { db, config } = context;
  return [
    {
      queue: PRIVACY_RETENTION_JOB,
      options: { retryLimit: 3, retryDelaySeconds: 60 },
      cron: PRIVACY_RETENTION_CRON,
      async handler() {
        await runPrivacyRetention(db, context.now(), {
          usageLogRetentionDays: config.privacy.usageLogRetentionDays,
          consentRecordRetentionDays: config.privacy.consentRecordRetentionDays,
          blockFailureWindowSeconds: config.security.blockFailureWindowSeconds,
        });
      },
    },
  ];
}
