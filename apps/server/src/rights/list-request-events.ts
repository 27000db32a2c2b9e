import type { Queryable } from '../db/database.js';

export async function listRequestEvents(db: Queryable, requestId: string) {
  const rows = await db.query<{
    occurred_at: Date;
    actor: string;
    action: string;
    outcome: 'done' | 'failed' | 'info';
    detail: unknown;
  }>(
    'select occurred_at, actor, action, outcome, detail from rights_request_events where request_id = $1 order by id',
    [requestId],
  );
  return rows.rows.map((row) => ({
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    detail: row.detail ?? null,
  }));
}
