import type { Queryable } from '../db/database.js';

/**
 * How many jobs of a queue pg-boss holds in any state (created, active, completed, failed). Features
 * enqueue in the same transaction as their data, so "no new job" proves "nothing will be sent"
 * without sleeping and hoping.
 */
export async function queuedJobCount(db: Queryable, queue: string): Promise<number> {
  const result = await db.query<{ count: number }>(
    'select count(*)::int as count from pgboss.job where name = $1',
    [queue],
  );
  return result.rows[0]?.count ?? 0;
}
