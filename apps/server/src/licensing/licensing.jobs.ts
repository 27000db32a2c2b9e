import type { AppContext } from '../app-context.js';
import { snapshotSeatUsageOfAllTenants } from './snapshot-seat-usage.js';

export const SEAT_SNAPSHOT_JOB = 'licensing.seat-snapshot';
/** Shortly before midnight UTC, so each day's point shows how that day ended. */
export const SEAT_SNAPSHOT_CRON = '55 23 * * *';

/** Schedules the daily seat-usage snapshot behind the portal's usage chart. */
export async function registerLicensingJobs(context: AppContext): Promise<void> {
  const { jobs, db } = context;
  await jobs.createQueue(SEAT_SNAPSHOT_JOB, { retryLimit: 3, retryDelaySeconds: 300 });
  await jobs.work(SEAT_SNAPSHOT_JOB, async () => {
    await snapshotSeatUsageOfAllTenants(db, context.now());
  });
  await jobs.schedule(SEAT_SNAPSHOT_JOB, SEAT_SNAPSHOT_CRON);
}
