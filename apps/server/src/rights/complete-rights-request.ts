import type { Queryable } from '../db/database.js';
import { recordRequestEvent } from './rights-requests.rows.js';

/** Marks a request answered, with what was done (counts and reasons, never the data itself). */
export async function completeRightsRequest(
  db: Queryable,
  requestId: string,
  outcome: { actor: string; action: string; result: unknown },
  now: Date,
): Promise<void> {
  await db.query(
    `update rights_requests set status = 'completed', completed_at = $2, result = $3::jsonb where id = $1`,
    [requestId, now, JSON.stringify(outcome.result)],
  );
  await recordRequestEvent(db, {
    requestId,
    actor: outcome.actor,
    action: outcome.action,
    outcome: 'done',
    detail: outcome.result,
    at: now,
  });
}
