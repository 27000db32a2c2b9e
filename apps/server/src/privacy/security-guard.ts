import type { Queryable } from '../db/database.js';

/**
 * Temporary blocks of client networks after repeated failures that signal abuse (see
 * abuse-signal.ts). Counters and blocks live in the database (`abuse_networks`), keyed by the
 * anonymised network, so every server process counts into the same window and honours the same
 * block. The question asked on every request, "is this network blocked?", is answered from the
 * process's copy of all blocks in force, read at most every `cacheSeconds`: blocks are few, while a
 * visitor from a network never seen before is the common case, so the hot path reads the database
 * once per period, not once per new network (which a flood of addresses would turn into a read per
 * request). See docs/decisions/015-abuse-protection-keys-on-networks.md.
 */
export interface SecurityGuardOptions {
  blockAfterFailures: number;
  failureWindowSeconds: number;
  blockDurationSeconds: number;
  /** How long a process trusts its last answer for a network; a block made elsewhere lags this much. */
  cacheSeconds: number;
  /** A failed lookup lets the request through (the site must not fail with its guard); reported here. */
  onError?: (error: unknown) => void;
}

export interface FailureOutcome {
  /** This failure started a block ending at that time. */
  blockedUntil: Date | null;
  failures: number;
}

export interface SecurityGuard {
  /** The end of the network's block, or null. */
  blockedUntil(network: string, now: Date): Promise<Date | null>;
  /** Counts one failure of the network; the one that reaches the threshold starts a block. */
  recordFailure(network: string, now: Date): Promise<FailureOutcome>;
}

interface BlockSnapshot {
  readAt: number;
  /** The networks blocked at `readAt`, and until when (milliseconds). */
  blocks: Promise<Map<string, number>>;
}

export function createSecurityGuard(db: Queryable, options: SecurityGuardOptions): SecurityGuard {
  const cacheMs = options.cacheSeconds * 1000;
  let snapshot: BlockSnapshot | null = null;
  /** Blocks this process started since its snapshot was read: in force here at once. */
  const startedHere = new Map<string, number>();

  async function readBlocks(now: Date): Promise<Map<string, number>> {
    try {
      const result = await db.query<{ network: string; blocked_until: Date | string }>(
        'select network, blocked_until from abuse_networks where blocked_until > $1',
        [now.toISOString()],
      );
      return new Map(result.rows.map((row) => [row.network, new Date(row.blocked_until).getTime()]));
    } catch (error) {
      options.onError?.(error);
      return new Map();
    }
  }

  return {
    async blockedUntil(network, now) {
      const time = now.getTime();
      if (!snapshot || time - snapshot.readAt >= cacheMs) {
        // Concurrent requests share one read.
        snapshot = { readAt: time, blocks: readBlocks(now) };
        startedHere.clear();
      }
      const until = (await snapshot.blocks).get(network) ?? startedHere.get(network) ?? null;
      return until !== null && until > time ? new Date(until) : null;
    },

    async recordFailure(network, now) {
      const at = now.toISOString();
      const counted = await db.query<{ failures: number }>(
        `insert into abuse_networks as a (network, window_started_at, failures)
         values ($1, $2, 1)
         on conflict (network) do update set
           failures = case when a.window_started_at <= $2::timestamptz - $3::int * interval '1 second'
                           then 1 else a.failures + 1 end,
           window_started_at = case when a.window_started_at <= $2::timestamptz - $3::int * interval '1 second'
                                    then $2::timestamptz else a.window_started_at end
         returning failures`,
        [network, at, options.failureWindowSeconds],
      );
      const failures = Number(counted.rows[0]?.failures ?? 0);
      if (failures < options.blockAfterFailures) return { blockedUntil: null, failures };
      // Only one of several concurrent failures starts the block: the others find the counter reset.
      const blocked = await db.query<{ blocked_until: Date | string }>(
        `update abuse_networks
            set blocked_until = $2::timestamptz + $3::int * interval '1 second', failures = 0, window_started_at = $2
          where network = $1 and failures >= $4 and (blocked_until is null or blocked_until <= $2)
          returning blocked_until`,
        [network, at, options.blockDurationSeconds, options.blockAfterFailures],
      );
      const row = blocked.rows[0];
      if (!row) return { blockedUntil: null, failures };
      const until = new Date(row.blocked_until);
      startedHere.set(network, until.getTime());
      return { blockedUntil: until, failures };
    },
  };
}

/** Forgets networks whose failure window and block are both over (the retention job). */
export async function expireAbuseNetworks(
  db: Queryable,
  now: Date,
  failureWindowSeconds: number,
): Promise<number> {
  const result = await db.query(
    `delete from abuse_networks
      where window_started_at <= $1::timestamptz - $2::int * interval '1 second'
        and (blocked_until is null or blocked_until <= $1)`,
    [now.toISOString(), failureWindowSeconds],
  );
  return result.rowCount;
}
