import type { Queryable } from '../db/database.js';

export interface UsageLogEntry {
  /** Stored to the second; entries equal in everything else within one second become one row. */
  occurredAt: Date;
  method: string;
  path: string;
  referrer: string | null;
  status: number;
  bytesSent: number | null;
  browser: string | null;
  os: string | null;
  ipTruncated: string;
  ipHash: string;
}

export interface UsageLogWriter {
  add(entry: UsageLogEntry): void;
  /** Counts one page view of a visitor who allowed statistics (no address, no cookie). */
  countPageView(day: string, path: string): void;
  /** Writes everything buffered; resolves when it is in the database. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

export interface UsageLogWriterOptions {
  flushIntervalMs?: number;
  /** Flush at once when this many rows are waiting. */
  maxBufferedRows?: number;
  /** Beyond this many waiting rows (database down), new entries are dropped rather than kept. */
  maxPendingRows?: number;
  onError?: (error: unknown) => void;
}

interface BufferedRow {
  entry: UsageLogEntry;
  second: number;
  requests: number;
}

/**
 * Logging a request must cost next to nothing, so entries go to an in-memory buffer that is written
 * as one multi-row insert (unnest over arrays) every second or every N rows, whichever comes first.
 * Identical entries within one second are counted on one row rather than written again: a flood
 * from one source costs one row per second, and nothing is lost at the log's one-second precision.
 */
export function createUsageLogWriter(db: Queryable, options: UsageLogWriterOptions = {}): UsageLogWriter {
  const maxBuffered = options.maxBufferedRows ?? 500;
  const maxPending = options.maxPendingRows ?? 50_000;
  let buffer = new Map<string, BufferedRow>();
  let pageViews = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();

  async function writeBatch(rows: BufferedRow[], views: Map<string, number>): Promise<void> {
    if (rows.length > 0) {
      await db.query(
        `insert into usage_log
           (occurred_at, requests, method, path, referrer, status, bytes_sent, browser, os, ip_truncated, ip_hash)
         select * from unnest($1::timestamptz[], $2::integer[], $3::text[], $4::text[], $5::text[],
                              $6::smallint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])`,
        [
          rows.map((row) => new Date(row.second * 1000).toISOString()),
          rows.map((row) => row.requests),
          rows.map((row) => row.entry.method),
          rows.map((row) => row.entry.path),
          rows.map((row) => row.entry.referrer),
          rows.map((row) => row.entry.status),
          rows.map((row) => row.entry.bytesSent),
          rows.map((row) => row.entry.browser),
          rows.map((row) => row.entry.os),
          rows.map((row) => row.entry.ipTruncated),
          rows.map((row) => row.entry.ipHash),
        ],
      );
    }
    if (views.size > 0) {
      const keys = [...views.keys()];
      await db.query(
        `insert into site_page_views (day, path, views)
         select * from unnest($1::date[], $2::text[], $3::bigint[])
         on conflict (day, path) do update set views = site_page_views.views + excluded.views`,
        [keys.map((key) => key.slice(0, 10)), keys.map((key) => key.slice(11)), [...views.values()]],
      );
    }
  }

  function flush(): Promise<void> {
    if (buffer.size === 0 && pageViews.size === 0) return writing;
    const rows = [...buffer.values()];
    const views = pageViews;
    buffer = new Map();
    pageViews = new Map();
    writing = writing.then(() => writeBatch(rows, views)).catch((error: unknown) => options.onError?.(error));
    return writing;
  }

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    add(entry) {
      const second = Math.floor(entry.occurredAt.getTime() / 1000);
      const key = `${second}\u0000${entry.ipHash}\u0000${entry.method}\u0000${entry.path}\u0000${entry.status}\u0000${entry.bytesSent}\u0000${entry.referrer}\u0000${entry.browser}\u0000${entry.os}`;
      const same = buffer.get(key);
      if (same) {
        same.requests += 1;
        return;
      }
      if (buffer.size >= maxPending) return;
      buffer.set(key, { entry, second, requests: 1 });
      if (buffer.size >= maxBuffered) void flush();
    },
    countPageView(day, path) {
      const key = `${day}|${path}`;
      pageViews.set(key, (pageViews.get(key) ?? 0) + 1);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
