import type { Queryable } from '../db/database.js';
import type { AnonymisedAddress, Anonymiser } from './anonymise-ip.js';

/** One request as the log keeps it until its batch is written. */
export interface UsageLogRequest {
  /** Stored to the second; requests of one second that differ only in their source share one row. */
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
  /** Flush at once when this many sources (a request shape's distinct addresses, summed) are waiting. */
  maxBufferedSources?: number;
  /**
   * Beyond this many sources not yet written, buffered or in writes the database has not answered
   * (database slow or down), requests from new sources are dropped rather than kept in memory.
   */
  maxPendingSources?: number;
  onError?: (error: unknown) => void;
}

/** Tabs and line breaks separate a batch's fields and rows; in a logged text they become spaces. */
function field(value: string | null): string {
  if (value === null) return '';
  return /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value;
}

/**
 * A request's shape as its batch line begins: every field of its row but the sources. Empty fields
 * are the log's nulls (no logged text is empty). The same string is the key under which the
 * requests of one second and shape gather their sources, so a request builds one string and
 * nothing else.
 */
function requestShape(request: UsageLogRequest): string {
  const second = Math.floor(request.occurredAt.getTime() / 1000);
  return `${second}\t${field(request.method)}\t${field(request.path)}\t${field(request.referrer)}\t${request.status}\t${request.bytesSent ?? ''}\t${field(request.browser)}\t${field(request.os)}`;
}

/** Buffered requests of one day: each shape with its sources' addresses and their requests. */
interface Batch {
  shapes: Map<string, Map<string, number>>;
  /** Sources summed over the shapes: what the buffer's limits count. */
  sources: number;
  /** The day's anonymiser: a request of another day starts a new batch. */
  anonymise: Anonymiser;
}

/**
 * The batch's text: a line per shape, its requests, then its sources' networks, keyed hashes and
 * requests as three comma-separated lists in the same order. Each address is anonymised once per
 * batch (a visitor's page and its assets share one); neither a network nor a hex hash has a comma.
 */
function batchText({ shapes, anonymise }: Batch): string {
  const anonymised = new Map<string, AnonymisedAddress>();
  const lines: string[] = [];
  for (const [shape, sources] of shapes) {
    const networks: string[] = [];
    const hashes: string[] = [];
    const counts: number[] = [];
    let requests = 0;
    for (const [address, count] of sources) {
      let source = anonymised.get(address);
      if (source === undefined) {
        source = anonymise(address);
        anonymised.set(address, source);
      }
      networks.push(source.ipTruncated);
      hashes.push(source.ipHash);
      counts.push(count);
      requests += count;
    }
    lines.push(`${shape}\t${requests}\t${networks.join(',')}\t${hashes.join(',')}\t${counts.join(',')}`);
  }
  return lines.join('\n');
}

/**
 * Logging a request must cost next to nothing, so requests go to an in-memory buffer that is written
 * as one multi-row insert (one text parameter the database splits into rows) every second or every N
 * sources, whichever comes first. Addresses are anonymised then, in one loop per batch, not on each
 * request (decision 170).
 * The requests of one second that differ only in their source share one row, which lists the
 * sources with their requests (decision 187): a flood from one source, or from a new address on
 * every request, costs a row per second and path rather than a row per request, and nothing is lost
 * at the log's one-second precision.
 */
export function createUsageLogWriter(db: Queryable, options: UsageLogWriterOptions = {}): UsageLogWriter {
  const maxBuffered = options.maxBufferedSources ?? 500;
  const maxPending = options.maxPendingSources ?? 50_000;
  /** The requests waiting for the next write. */
  let buffer: Batch | null = null;
  /** Sources handed to writes that have not ended yet. */
  let sourcesInWrites = 0;
  let pageViews = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();

  async function writeBatch(batch: Batch | null, views: Map<string, number>): Promise<void> {
    if (batch && batch.shapes.size > 0) {
      // One text parameter, a line per row and a tab between fields, split by the database: each
      // element of array parameters was quoted and escaped by the driver and parsed again by the
      // database, about two thirds of a row's cost on PGlite (decision 167).
      await db.query(
        `insert into usage_log
           (occurred_at, method, path, referrer, status, bytes_sent, browser, os,
            requests, source_networks, source_hashes, source_requests)
         select to_timestamp(f[1]::bigint), f[2], f[3], nullif(f[4], ''), f[5]::smallint,
                nullif(f[6], '')::bigint, nullif(f[7], ''), nullif(f[8], ''),
                f[9]::integer, string_to_array(f[10], ','), string_to_array(f[11], ','),
                string_to_array(f[12], ',')::integer[]
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
    const sources = batch?.sources ?? 0;
    buffer = null;
    pageViews = new Map();
    sourcesInWrites += sources;
    writing = writing
      .then(() => writeBatch(batch, views))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        sourcesInWrites -= sources;
      });
    return writing;
  }

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    add(request, anonymise) {
      if (buffer && buffer.anonymise !== anonymise) void flush();
      buffer ??= { shapes: new Map(), sources: 0, anonymise };
      const batch = buffer;
      const shape = requestShape(request);
      const sources = batch.shapes.get(shape);
      const requests = sources?.get(request.address);
      if (sources !== undefined && requests !== undefined) {
        sources.set(request.address, requests + 1);
        return;
      }
      if (batch.sources + sourcesInWrites >= maxPending) return;
      if (sources === undefined) batch.shapes.set(shape, new Map([[request.address, 1]]));
      else sources.set(request.address, 1);
      batch.sources += 1;
      if (batch.sources >= maxBuffered) void flush();
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
