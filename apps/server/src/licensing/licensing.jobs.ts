import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { snapshotSeatUsageOfAllTenants } from './snapshot-seat-usage.js';

export const SEAT_SNAPSHOT_JOB = 'licensing.seat-snapshot';
/** Shortly before midnight UTC, so each day's point shows how that day ended. */
export const SEAT_SNAPSHOT_CRON = '55 23 * * *';

/** The daily seat-usage snapshot behind the portal's usage chart. */
export function licensingJobs({ context }: JobDeps): JobDefinition[] {
  return [
    {
      queue: SEAT_SNAPSHOT_JOB,
      options: { retryLimit: 3, retryDelaySeconds: 300 },
      cron: SEAT_SNAPSHOT_CRON,
      async handler() {
        await snapshotSeatUsageOfAllTenants(context.db, context.now());
      },
    },
  ];
}
