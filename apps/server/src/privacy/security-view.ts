import type { Queryable } from '../db/database.js';

/** Functions for the operator console's security view; they only ever see anonymised addresses. */

export interface FailureSource {
  ipTruncated: string;
  ipHash: string;
  failures: number;
  firstAt: string;
  lastAt: string;
  /** The most frequent failing paths, at most five. */
  paths: string[];
}

/** The anonymised sources with the most 4xx answers since `since` (raw log rows are kept a few days). */
export async function topFailureSources(
  db: Queryable,
  options: { since: Date; limit?: number },
): Promise<FailureSource[]> {
  const result = await db.query<{
    ip_truncated: string;
    ip_hash: string;
    failures: number;
    first_at: Date | string;
    last_at: Date | string;
    paths: string[];
  }>(
    `select ip_truncated, ip_hash, sum(requests)::int as failures, min(occurred_at) as first_at,
            max(occurred_at) as last_at,
            (array_agg(path order by path))[1:5] as paths
       from usage_log_by_source
      where status >= 400 and status < 500 and occurred_at >= $1
      group by ip_truncated, ip_hash
      order by failures desc, ip_hash
      limit $2`,
    [options.since.toISOString(), options.limit ?? 20],
  );
  return result.rows.map((row) => ({
    ipTruncated: row.ip_truncated,
    ipHash: row.ip_hash,
    failures: row.failures,
    firstAt: new Date(row.first_at).toISOString(),
    lastAt: new Date(row.last_at).toISOString(),
    paths: [...new Set(row.paths)],
  }));
}

export interface BlockInForce {
  ipTruncated: string;
  ipHash: string;
  reason: string;
  failures: number;
  blockedAt: string;
  blockedUntil: string;
}

/** Temporary blocks that have not yet ended at `now`, newest first. */
export async function blocksInForce(db: Queryable, now: Date): Promise<BlockInForce[]> {
  const result = await db.query<{
    ip_truncated: string;
    ip_hash: string;
    reason: string;
    failures: number;
    blocked_at: Date | string;
    blocked_until: Date | string;
  }>(
    `select ip_truncated, ip_hash, reason, failures, blocked_at, blocked_until
       from security_blocks where blocked_until > $1 order by blocked_at desc limit 200`,
    [now.toISOString()],
  );
  return result.rows.map((row) => ({
    ipTruncated: row.ip_truncated,
    ipHash: row.ip_hash,
    reason: row.reason,
    failures: row.failures,
    blockedAt: new Date(row.blocked_at).toISOString(),
    blockedUntil: new Date(row.blocked_until).toISOString(),
  }));
}
