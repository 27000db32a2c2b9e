import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Queryable } from '../db/database.js';

/** Networks known to be over their budget, at most; beyond that the memory starts afresh. */
const MAX_REMEMBERED = 10_000;

/**
 * A store for @fastify/rate-limit that counts in the database (`request_rate_limits`), so every
 * server process on one database shares a network's budget (issue 14, part 2). Fixed windows aligned
 * on the clock, so two processes agree which window a request falls in without talking to each other.
 * One upsert per counted request; a network already over its budget in the current window is refused
 * from memory, so a flood costs no database write. If the database cannot answer, the request passes
 * (the plugin's `skipOnError`): the site must not fail with its guard.
 */
export function sharedRateLimitStore(db: Queryable, now: () => Date): FastifyRateLimitStoreCtor {
  /** network → end of the window in which it went over budget (ms). */
  const exceeded = new Map<string, number>();

  class SharedRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void {
      const time = now().getTime();
      const windowStart = Math.floor(time / timeWindow) * timeWindow;
      const windowEnd = windowStart + timeWindow;
      const ttl = windowEnd - time;
      if ((exceeded.get(key) ?? 0) === windowEnd) {
        callback(null, { current: max + 1, ttl });
        return;
      }
      db.query<{ hits: number }>(
        `insert into request_rate_limits as r (network, window_start, hits) values ($1, $2, 1)
         on conflict (network, window_start) do update set hits = r.hits + 1
         returning hits`,
        [key, new Date(windowStart).toISOString()],
      ).then(
        (result) => {
          const current = Number(result.rows[0]?.hits ?? 1);
          if (current > max) {
            if (exceeded.size >= MAX_REMEMBERED) exceeded.clear();
            exceeded.set(key, windowEnd);
          }
          callback(null, { current, ttl });
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return SharedRateLimitStore;
}

/** Forgets windows that are over (the privacy-retention job). */
export async function expireRequestRateLimits(db: Queryable, now: Date): Promise<number> {
  // Windows are one minute; anything started two minutes ago is over whatever the setting.
  const result = await db.query(
    `delete from request_rate_limits where window_start < $1::timestamptz - interval '2 minutes'`,
    [now.toISOString()],
  );
  return result.rowCount;
}
