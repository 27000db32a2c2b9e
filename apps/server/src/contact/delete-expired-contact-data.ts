import type { Queryable } from '../db/database.js';
import { deleteExpiredRateLimits } from '../website/forms/rate-limit.js';

const DAY_MS = 86_400_000;

/**
 * The contact form's retention run: enquiries closed more than `retentionDays` ago are deleted, and
 * rate-limit counters older than a day (every window is shorter) go too.
 */
export async function deleteExpiredContactData(
  db: Queryable,
  options: { now: Date; retentionDays: number },
): Promise<{ enquiries: number; rateLimitCounters: number }> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * DAY_MS);
  const deleted = await db.query(
    `delete from contact_enquiries where status = 'closed' and closed_at <= $1`,
    [cutoff],
  );
  const rateLimitCounters = await deleteExpiredRateLimits(db, new Date(options.now.getTime() - DAY_MS));
  return { enquiries: deleted.rowCount, rateLimitCounters };
}
