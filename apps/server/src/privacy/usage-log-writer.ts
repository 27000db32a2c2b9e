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

/** Tabs and line breaks separate a batch's fields and rows; in a logged text they become spaces. */
function field(value: string | null): string {
  if (value === null) return '';
  return /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value;
}

/**
 * A row as the batch's line holds it, all but its count of requests: empty fields are the log's
 * nulls (no logged text is empty). It is also the key that merges identical requests of a second,
 * so a request builds one string, not a key and later a line.
 */
function rowFields(entry: UsageLogEntry): string {
  const second = Math.floor(entry.occurredAt.getTime() / 1000);
  return `${second}\t${field(entry.method)}\t${field(entry.path)}\t${field(entry.referrer)}\t${entry.status}\t${entry.bytesSent ?? ''}\t${field(entry.browser)}\t${field(entry.os)}\t${field(entry.ipTruncated)}\t${field(entry.ipHash)}`;
}

/**
 * Logging a request must cost next to nothing, so entries go to an in-memory buffer that is written
 * as one multi-row insert (one text parameter the database splits into rows) every second or every N
 * rows, whichever comes first.
 * Identical entries within one second are counted on one row rather than written again: a flood
 * from one source costs one row per second, and nothing is lost at the log's one-second precision.
 */
export function createUsageLogWriter(db: Queryable, options: UsageLogWriterOptions = {}): UsageLogWriter {
  const maxBuffered = options.maxBufferedRows ?? 500;
  const maxPending = options.maxPendingRows ?? 50_000;
  /** Rows waiting to be written, as `rowFields` gives them, and how many requests each counts. */
  let buffer = new Map<string, number>();
  let pageViews = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();

  async function writeBatch(rows: Map<string, number>, views: Map<string, number>): Promise<void> {
    if (rows.size > 0) {
      // One text parameter, a line per row and a tab between fields, split by the database: each
      // element of eleven array parameters was quoted and escaped by the driver and parsed again by
      // the database, about two thirds of a row's cost on PGlite (decision 167).
      await db.query(
        `insert into usage_log
           (occurred_at, requests, method, path, referrer, status, bytes_sent, browser, os, ip_truncated, ip_hash)
         select to_timestamp(f[1]::bigint), f[11]::integer, f[2], f[3], nullif(f[4], ''), f[5]::smallint,
                nullif(f[6], '')::bigint, nullif(f[7], ''), nullif(f[8], ''), f[9], f[10]
           from string_to_table($1, E'\\n') as line, string_to_array(line, E'\\t') as f`,
        [Array.from(rows, ([fields, requests]) => `${fields}\t${requests}`).join('\n')],
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
    const rows = buffer;
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
      const fields = rowFields(entry);
      const requests = buffer.get(fields);
      if (requests !== undefined) {
        buffer.set(fields, requests + 1);
        return;
      }
      if (buffer.size >= maxPending) return;
      buffer.set(fields, 1);
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
