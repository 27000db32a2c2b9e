import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';

const DAY_MS = 86_400_000;
/** The last day asked for: every request asks, and nearly all within the same day. */
let lastDay = { start: 0, end: 0, text: '' };

/** The UTC day of a time, `YYYY-MM-DD`. */
export function utcDay(time: Date): string {
  const ms = time.getTime();
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.text;
  const start = Math.floor(ms / DAY_MS) * DAY_MS;
  lastDay = { start, end: start + DAY_MS, text: time.toISOString().slice(0, 10) };
  return lastDay.text;
}

export interface SaltStore {
  /** The random salt of the UTC day `time` falls in, created on first use and shared via the database. */
  saltFor(time: Date): Promise<Uint8Array>;
  /** The same, without waiting, once it has been loaded for that day; null otherwise. */
  loadedSaltFor(time: Date): Uint8Array | null;
}

/**
 * Salts live in the database so every server process hashes an address the same way on the same day;
 * each process caches only the current day's salt. The retention job deletes a salt 48 hours after
 * its day began, which makes that day's hashes unlinkable to any address for good.
 */
export function createSaltStore(db: Queryable): SaltStore {
  let cached: { day: string; salt: Promise<Uint8Array> } | null = null;
  let loaded: { day: string; salt: Uint8Array } | null = null;

  async function load(day: string, createdAt: Date): Promise<Uint8Array> {
    await db.query(
      'insert into usage_log_salts (day, salt, created_at) values ($1, $2, $3) on conflict (day) do nothing',
      [day, randomBytes(32), createdAt.toISOString()],
    );
    const result = await db.query<{ salt: Uint8Array }>('select salt from usage_log_salts where day = $1', [
      day,
    ]);
    const salt = result.rows[0]?.salt;
    if (!salt) throw new Error(`salt for ${day} vanished while it was being read`);
    return Uint8Array.from(salt);
  }

  return {
    saltFor(time) {
      const day = utcDay(time);
      if (cached?.day !== day) {
        const salt = load(day, time);
        cached = { day, salt };
        salt.then(
          (value) => {
            if (cached?.salt === salt) loaded = { day, salt: value };
          },
          () => {},
        );
        // A failed load must not stick: the next request tries again.
        salt.catch(() => {
          if (cached?.salt === salt) cached = null;
        });
      }
      return cached.salt;
    },
    loadedSaltFor(time) {
      return loaded?.day === utcDay(time) ? loaded.salt : null;
    },
  };
}
