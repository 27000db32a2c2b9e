import { createHmac } from 'node:crypto';
import type { Queryable } from '../../db/database.js';

export interface RateLimitRule {
  /** What is limited, e.g. `contact` or `newsletter-signup`. */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/**
 * A fixed-window counter in the database, so every server process shares it. The source (the
 * client's address) is never stored: only an HMAC of it under the signing secret and the window's
 * start, so counts of two windows cannot be linked, and rows are deleted by the retention job once
 * their window is over.
 */
export async function consumeRateLimit(
  db: Queryable,
  rule: RateLimitRule,
  source: { address: string; secret: string; now: Date },
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(source.now.getTime() / windowMs) * windowMs);
  const sourceHash = createHmac('sha256', source.secret)
    .update(`rate-limit:${rule.bucket}:${windowStart.toISOString()}:${source.address}`)
    .digest('base64url');
  const result = await db.query<{ hits: number }>(
    `insert into form_rate_limits (bucket, source_hash, window_start, hits)
     values ($1, $2, $3, 1)
     on conflict (bucket, source_hash, window_start)
       do update set hits = form_rate_limits.hits + 1
     returning hits`,
    [rule.bucket, sourceHash, windowStart],
  );
  const hits = Number(result.rows[0]?.hits ?? 0);
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((windowStart.getTime() + windowMs - source.now.getTime()) / 1000),
  );
  return { allowed: hits <= rule.limit, retryAfterSeconds };
}

/** Forgets counters of windows that ended before `before`. */
export async function deleteExpiredRateLimits(db: Queryable, before: Date): Promise<number> {
  const result = await db.query('delete from form_rate_limits where window_start < $1', [before]);
  return result.rowCount;
}
