import type { Queryable } from '../db/database.js';

/** Erases held rows whose legal hold has ended (the retention side of a restricted erasure). */
export async function releaseEndedHolds(db: Queryable, now: Date): Promise<number> {
  const deleted = await db.query('delete from held_records where hold_until <= $1', [now]);
  return deleted.rowCount;
}
