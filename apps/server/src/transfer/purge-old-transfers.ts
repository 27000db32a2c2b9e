import type { Database } from '../db/database.js';

/** How long transfers (with their file names, which carry mail subjects) are kept. */
export const TRANSFER_RETENTION_DAYS = 90;
/** A transfer still queued or running after this long is given up (its job is gone or stuck). */
export const STALE_TRANSFER_HOURS = 24;

/**
 * The retention run: deletes transfers older than the retention period (their files rows go with
 * them) and fails transfers that never finished. Runs across tenants as the owner, by design.
 */
export async function purgeOldTransfers(
  db: Database,
  now: Date,
): Promise<{ deleted: number; failed: number }> {
  const cutoff = new Date(now.getTime() - TRANSFER_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const staleBefore = new Date(now.getTime() - STALE_TRANSFER_HOURS * 60 * 60 * 1000);
  const failed = await db.query(
    `update transfers set state = 'failed', finished_at = $2,
            failure_reason = 'The transfer did not finish in time and was stopped.'
      where state in ('queued', 'running') and created_at < $1`,
    [staleBefore, now],
  );
  const deleted = await db.query('delete from transfers where created_at < $1', [cutoff]);
  return { deleted: deleted.rowCount, failed: failed.rowCount };
}
