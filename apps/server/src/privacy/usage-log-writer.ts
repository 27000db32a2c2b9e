import type { Queryable } from '../db/database.js';
import type { Anonymiser } from './anonymise-ip.js';

/** One request as the log keeps it until its batch is written. */
export interface UsageLogRequest {
  /** Stored to the second; requests equal in everything else within one second become one row. */
  occurredAt: Date;
  method: string;
  path: string;
  referrer: string | null;
  status: number;
  bytesSent: number | null;
  browser: string | null;
  os: string | null;
  /**
   * The client's address, held in memory only until its batch is written (a second at most while
   * the database answers): the batch stores its network and keyed hash, never the address.
   */
  address: string;
}

export interface UsageLogWriter {
  /** Buffers a request; `anonymise` is its day's, which turns the address into what is stored. */
  add(request: UsageLogRequest, anonymise: Anonymiser): void;
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
  /**
   * Beyond this many rows not yet written, buffered or in writes the database has not answered
   * (database slow or down), new requests are dropped rather than kept in memory.
   */
  maxPendingRows?: number;
  onError?: (error: unknown) => void;
}

/** Tabs and line breaks separate a batch's fields and rows; in a logged text they become spaces. */
function field(value: string | null): string {
  if (value === null) return '';
  return /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value;
}

/**
 * A request as its batch line begins: the row's fields up to the client's address, which comes last
 * and is replaced by its network and hash when the batch is written. Empty fields are the log's
 * nulls (no logged text is empty). The same string is the key that merges identical requests of a
 * second (the same address is the same hash all day), so a request builds one string and nothing
 * else. An "address" with a separator in it is no address: it is hashed with spaces instead.
 */
function requestFields(request: UsageLogRequest): string {
  const second = Math.floor(request.occurredAt.getTime() / 1000);
  return `${second}\t${field(request.method)}\t${field(request.path)}\t${field(request.referrer)}\t${request.status}\t${request.bytesSent ?? ''}\t${field(request.browser)}\t${field(request.os)}\t${field(request.address)}`;
}

/** Buffered requests of one day, as `requestFields` gives them with how many each counts. */
interface Batch {
  rows: Map<string, number>;
  /** The day's anonymiser: a request of another day starts a new batch. */
  anonymise: Anonymiser;
}

/**
 * The batch's text: each buffered request's line with its address anonymised, once per address in
 * the batch (a visitor's page and its assets share one), and its count of requests.
 */
function batchText({ rows, anonymise }: Batch): string {
  const sources = new Map<string, string>();
  const lines: string[] = [];
  for (const [fields, requests] of rows) {
    const addressAt = fields.lastIndexOf('\t') + 1;
    const address = fields.slice(addressAt);
    let source = sources.get(address);
    if (source === undefined) {
      const anonymised = anonymise(address);
      source = `${anonymised.ipTruncated}\t${anonymised.ipHash}`;
      sources.set(address, source);
    }
    lines.push(`${fields.slice(0, addressAt)}${source}\t${requests}`);
  }
  return lines.join('\n');
}

/**
 * Logging a request must cost next to nothing, so requests go to an in-memory buffer that is written
 * as one multi-row insert (one text parameter the database splits into rows) every second or every N
 * rows, whichever comes first. Addresses are anonymised then, in one loop per batch, not on each
 * request (decision 170).
 * Identical requests within one second are counted on one row rather than written again: a flood
 * from one source costs one row per second, and nothing is lost at the log's one-second precision.
 */
export function createUsageLogWriter(db: Queryable, options: UsageLogWriterOptions = {}): UsageLogWriter {
  const maxBuffered = options.maxBufferedRows ?? 500;
  const maxPending = options.maxPendingRows ?? 50_000;
  /** The requests waiting for the next write. */
  let buffer: Batch | null = null;
  /** Rows handed to writes that have not ended yet. */
  let rowsInWrites = 0;
  let pageViews = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();

  async function writeBatch(batch: Batch | null, views: Map<string, number>): Promise<void> {
    if (batch && batch.rows.size > 0) {
      // One text parameter, a line per row and a tab between fields, split by the database: each
      // element of eleven array parameters was quoted and escaped by the driver and parsed again by
      // the database, about two thirds of a row's cost on PGlite (decision 167).
      await db.query(
        `insert into usage_log
           (occurred_at, requests, method, path, referrer, status, bytes_sent, browser, os, ip_truncated, ip_hash)
         select to_timestamp(f[1]::bigint), f[11]::integer, f[2], f[3], nullif(f[4], ''), f[5]::smallint,
                nullif(f[6], '')::bigint, nullif(f[7], ''), nullif(f[8], ''), f[9], f[10]
           from string_to_table($1, E'\\n') as line, string_to_array(line, E'\\t') as f`,
        [batchText(batch)],
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
    if (!buffer && pageViews.size === 0) return writing;
    const batch = buffer;
    const views = pageViews;
    const rows = batch?.rows.size ?? 0;
    buffer = null;
    pageViews = new Map();
    rowsInWrites += rows;
    writing = writing
      .then(() => writeBatch(batch, views))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        rowsInWrites -= rows;
      });
    return writing;
  }

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    add(request, anonymise) {
      if (buffer && buffer.anonymise !== anonymise) void flush();
      buffer ??= { rows: new Map(), anonymise };
      const { rows } = buffer;
      const fields = requestFields(request);
      const requests = rows.get(fields);
      if (requests !== undefined) {
        rows.set(fields, requests + 1);
        return;
      }
      if (rows.size + rowsInWrites >= maxPending) return;
      rows.set(fields, 1);
      if (rows.size >= maxBuffered) void flush();
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
