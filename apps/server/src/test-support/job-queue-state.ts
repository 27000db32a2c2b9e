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

/** A job that waited for a retry and was made due now: its data and why its last attempt failed. */
export interface RetryMadeDue {
  id: string;
  data: Record<string, unknown>;
  /** The failed attempt's message, e.g. `HANDED_BACK_REASON` when its worker was found dead. */
  reason: string | null;
}

/**
 * Makes the jobs of a queue that wait for a retry due now, and lists them. pg-boss schedules a retry
 * seconds ahead (the back-off) by its database clock, which a test cannot move; this is that clock
 * jumping forward for those jobs, so the test proves the retry without waiting.
 */
export async function makeRetriesDueNowListing(db: Queryable, queue: string): Promise<RetryMadeDue[]> {
  const result = await db.query<RetryMadeDue>(
    `update pgboss.job set start_after = now() where name = $1 and state = 'retry'
     returning id, data, output->>'message' as reason`,
    [queue],
  );
  return result.rows;
}

/** {@link makeRetriesDueNowListing}, saying only how many there were. */
export async function makeRetriesDueNow(db: Queryable, queue: string): Promise<number> {
  return (await makeRetriesDueNowListing(db, queue)).length;
}
