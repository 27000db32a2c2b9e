import type { Database, Queryable } from '../db/database.js';

export type Processing = 'usage_log';

export interface ObjectionRow {
  processing: Processing;
  kind: 'restriction' | 'objection';
  reason: string | null;
  recorded_at: Date;
}

/**
 * The users who restricted or objected to the usage log, per database, in memory: the usage log's
 * response hook is synchronous and must not query per request. Loaded at start and updated on every
 * change through this module (one server process per database, docs/architecture.md).
 */
const usageLogObjectors = new WeakMap<Queryable, Set<string>>();

export async function loadUsageLogObjectors(db: Database): Promise<void> {
  const rows = await db.query<{ user_id: string }>(
    `select user_id from processing_objections where processing = 'usage_log'`,
  );
  usageLogObjectors.set(db, new Set(rows.rows.map((row) => row.user_id)));
}

/** Whether this user asked us not to write the usage log for their requests. */
export function objectsToUsageLog(db: Queryable, userId: string | undefined): boolean {
  return userId !== undefined && (usageLogObjectors.get(db)?.has(userId) ?? false);
}

export async function listObjections(
  tx: Queryable,
  tenantId: string,
  userId: string,
): Promise<ObjectionRow[]> {
  const rows = await tx.query<ObjectionRow>(
    `select processing, kind, reason, recorded_at from processing_objections
      where tenant_id = $1 and user_id = $2 order by processing`,
    [tenantId, userId],
  );
  return rows.rows;
}

/** Records (or replaces) a restriction or objection (Art. 18, 21) and honours it from now on. */
export async function recordObjection(
  tx: Queryable,
  db: Database,
  objection: {
    tenantId: string;
    userId: string;
    processing: Processing;
    kind: 'restriction' | 'objection';
    reason?: string | undefined;
  },
  now: Date,
): Promise<void> {
  await tx.query(
    `insert into processing_objections (tenant_id, user_id, processing, kind, reason, recorded_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (user_id, processing) do update set kind = excluded.kind, reason = excluded.reason,
       recorded_at = excluded.recorded_at`,
    [
      objection.tenantId,
      objection.userId,
      objection.processing,
      objection.kind,
      objection.reason ?? null,
      now,
    ],
  );
  if (objection.processing === 'usage_log') {
    const set = usageLogObjectors.get(db) ?? new Set<string>();
    set.add(objection.userId);
    usageLogObjectors.set(db, set);
  }
}

export async function withdrawObjection(
  tx: Queryable,
  db: Database,
  objection: { tenantId: string; userId: string; processing: Processing },
): Promise<void> {
  await tx.query(
    'delete from processing_objections where tenant_id = $1 and user_id = $2 and processing = $3',
    [objection.tenantId, objection.userId, objection.processing],
  );
  if (objection.processing === 'usage_log') usageLogObjectors.get(db)?.delete(objection.userId);
}
