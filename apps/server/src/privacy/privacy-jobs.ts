import type { AppContext } from '../app-context.js';
import { runPrivacyRetention } from './privacy-retention.js';

export const PRIVACY_RETENTION_JOB = 'privacy-retention';
/** On the hour, so a salt is gone as its 48 hours end and a log row outlives its days by under an hour. */
export const PRIVACY_RETENTION_CRON = '0 * * * *';

/** Schedules the retention run for usage log, salts, security blocks, abuse counters and consent records. */
export async function registerPrivacyJobs(context: AppContext): Promise<void> {
  const { jobs, db, config } = context;
  await jobs.createQueue(PRIVACY_RETENTION_JOB, { retryLimit: 3, retryDelaySeconds: 60 });
  await jobs.work(PRIVACY_RETENTION_JOB, async () => {
    await runPrivacyRetention(db, context.now(), {
      usageLogRetentionDays: config.privacy.usageLogRetentionDays,
      consentRecordRetentionDays: config.privacy.consentRecordRetentionDays,
      blockFailureWindowSeconds: config.security.blockFailureWindowSeconds,
    });
  });
  await jobs.schedule(PRIVACY_RETENTION_JOB, PRIVACY_RETENTION_CRON);
}
