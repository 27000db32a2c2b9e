import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Queryable, withTenant } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { type Anonymiser, anonymiseIp, createAnonymiser } from './anonymise-ip.js';
import { createUsageLogWriter, type UsageLogRequest } from './usage-log-writer.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const AT = new Date('2026-11-30T10:15:42.750Z');
const SALT = new Uint8Array(32).map((_, index) => index * 5 + 1);
const NEXT_DAYS_SALT = new Uint8Array(32).map((_, index) => 255 - index);

function entry(overrides: Partial<UsageLogRequest> = {}): UsageLogRequest {
  return {
    occurredAt: AT,
    method: 'GET',
    path: '/',
    referrer: null,
    status: 200,
    bytesSent: null,
    browser: null,
    os: null,
    address: '203.0.113.7',
    ...overrides,
  };
}

interface Row {
  occurred_at: Date | string;
  requests: number;
  method: string;
  path: string;
  referrer: string | null;
  status: number;
  bytes_sent: string | number | null;
  browser: string | null;
  os: string | null;
  source_networks: string[] | null;
  source_hashes: string[] | null;
  source_requests: number[] | null;
  ip_truncated: string | null;
  ip_hash: string | null;
}

/** The row fields of a row that lists its sources, as the writer writes them. */
function sources(list: [address: string, requests: number, network: string][]) {
  return {
    source_networks: list.map(([, , network]) => network),
    source_hashes: list.map(([address]) => anonymiseIp(address, SALT).ipHash),
    source_requests: list.map(([, requests]) => requests),
    ip_truncated: null,
    ip_hash: null,
  };
}

describe('the usage log writer', () => {
  it('stores every field as given, nulls as nulls, the address only as network and keyed hash, and the requests of a second that differ only in their source as one row listing the sources', async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    const writer = createUsageLogWriter(db, { flushIntervalMs: 60_000 });
    const anonymise = createAnonymiser(SALT);
    const full = entry({
      method: 'POST',
      path: '/contact',
      referrer: 'https://example.org/from/here',
      status: 303,
      bytesSent: 1234,
      browser: 'Firefox',
      os: 'Linux',
      address: '2001:db8:85a3:8d3:1319:8a2e:370:7348',
    });
    writer.add(full, anonymise);
    writer.add(full, anonymise);
    writer.add(entry(), anonymise);
    writer.add(entry({ address: '198.51.100.20' }), anonymise);
    writer.add(entry(), anonymise);
    // Separators in a logged text cannot split its row: they are stored as spaces. An "address"
    // with one is no address: its network is unknown, and only its hash is kept.
    writer.add(
      entry({ path: '/a\tb\nc\rd', referrer: 'https://example.org/x\ty', address: 'not\tan\naddress' }),
      anonymise,
    );
    await writer.close();

    const rows = (await db.query<Row>('select * from usage_log order by path')).rows.map((row) => ({
      ...row,
      occurred_at: new Date(row.occurred_at).toISOString(),
    }));
    expect(rows).toEqual([
      {
        occurred_at: '2026-11-30T10:15:42.000Z',
        requests: 3,
        method: 'GET',
        path: '/',
        referrer: null,
        status: 200,
        bytes_sent: null,
        browser: null,
        os: null,
        ...sources([
          ['203.0.113.7', 2, '203.0.113.0/24'],
          ['198.51.100.20', 1, '198.51.100.0/24'],
        ]),
      },
      {
        occurred_at: '2026-11-30T10:15:42.000Z',
        requests: 1,
        method: 'GET',
        path: '/a b c d',
        referrer: 'https://example.org/x y',
        status: 200,
        bytes_sent: null,
        browser: null,
        os: null,
        ...sources([['not\tan\naddress', 1, 'unknown']]),
      },
      {
        occurred_at: '2026-11-30T10:15:42.000Z',
        requests: 2,
        method: 'POST',
        path: '/contact',
        referrer: 'https://example.org/from/here',
        status: 303,
        bytes_sent: expect.anything(),
        browser: 'Firefox',
        os: 'Linux',
        ...sources([['2001:db8:85a3:8d3:1319:8a2e:370:7348', 2, '2001:db8:85a3::/48']]),
      },
    ]);
    expect(Number(rows[2]?.bytes_sent)).toBe(1234);
  });

  it('writes a flood of distinct sources in full, batch after batch, in a row per batch and second', async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    const writer = createUsageLogWriter(db, { flushIntervalMs: 60_000, maxBufferedSources: 100 });
    const anonymise = createAnonymiser(SALT);
    for (let index = 0; index < 1_250; index += 1) {
      writer.add(
        entry({
          occurredAt: new Date(AT.getTime() + index * 10),
          address: `10.0.${index >> 8}.${index & 255}`,
          bytesSent: 1_000,
        }),
        anonymise,
      );
    }
    await writer.close();
    const summary = await db.query<{ n: number; hashes: number; networks: number; bytes: string | number }>(
      `select count(*)::int as n, count(distinct ip_hash)::int as hashes,
              count(distinct ip_truncated)::int as networks, sum(bytes_sent * requests) as bytes
         from usage_log_by_source`,
    );
    expect(summary.rows[0]).toMatchObject({ n: 1_250, hashes: 1_250, networks: 5 });
    expect(Number(summary.rows[0]?.bytes)).toBe(1_250_000);
    // Thirteen batches of up to 100 sources, each spanning a second boundary (10 ms apart): two rows
    // each, where a row per source made 1,250.
    const rows = await db.query<{ n: number }>('select count(*)::int as n from usage_log');
    expect(rows.rows[0]?.n).toBe(26);
  });

  it('shows the tenant role no row, through the view as through the table', async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    const writer = createUsageLogWriter(db, { flushIntervalMs: 60_000 });
    writer.add(entry(), createAnonymiser(SALT));
    await writer.close();
    const counts = async (tx: Queryable) => {
      const result = await tx.query<{ table: number; view: number }>(
        `select (select count(*) from usage_log)::int as table,
                (select count(*) from usage_log_by_source)::int as view`,
      );
      return result.rows[0];
    };
    expect(await counts(db)).toEqual({ table: 1, view: 1 });
    // A view reads with its owner's rights unless it is security_invoker; the owner passes RLS.
    expect(await withTenant(db, crypto.randomUUID(), counts)).toEqual({ table: 0, view: 0 });
  });

  it("anonymises each address once per batch, and a new day's requests under that day's salt", async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    const writer = createUsageLogWriter(db, { flushIntervalMs: 60_000 });
    const calls: string[] = [];
    const counting = (salt: Uint8Array): Anonymiser => {
      const anonymise = createAnonymiser(salt);
      return (address) => {
        calls.push(address);
        return anonymise(address);
      };
    };
    const today = counting(SALT);
    // A visitor's page and its assets: three rows, one address.
    for (const path of ['/', '/site/site.css', '/site/favicon.svg']) writer.add(entry({ path }), today);
    // Past midnight the next request brings the next day's anonymiser; the first batch keeps its own.
    const tomorrow = counting(NEXT_DAYS_SALT);
    writer.add(entry({ occurredAt: new Date('2026-12-01T00:00:01Z') }), tomorrow);
    await writer.close();

    expect(calls).toEqual(['203.0.113.7', '203.0.113.7']);
    const rows = await db.query<{ path: string; occurred_at: Date | string; ip_hash: string }>(
      'select path, occurred_at, ip_hash from usage_log_by_source order by occurred_at, path',
    );
    const todays = anonymiseIp('203.0.113.7', SALT).ipHash;
    expect(rows.rows.map((row) => [row.path, row.ip_hash])).toEqual([
      ['/', todays],
      ['/site/favicon.svg', todays],
      ['/site/site.css', todays],
      ['/', anonymiseIp('203.0.113.7', NEXT_DAYS_SALT).ipHash],
    ]);
    expect(todays).not.toBe(anonymiseIp('203.0.113.7', NEXT_DAYS_SALT).ipHash);
  });

  it('keeps at most maxPendingSources in memory while the database does not answer, and drops the rest', async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    // A database that holds every query until it is let go, as one that hangs would.
    let answer: () => void = () => {};
    const answering = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const hanging: Queryable = {
      query: async (sql, params) => {
        await answering;
        return db.query(sql, params);
      },
      exec: (sql) => db.exec(sql),
    };
    const writer = createUsageLogWriter(hanging, {
      flushIntervalMs: 60_000,
      maxBufferedSources: 100,
      maxPendingSources: 250,
    });
    const anonymise = createAnonymiser(SALT);
    for (let index = 0; index < 1_000; index += 1) {
      writer.add(entry({ address: `10.1.${index >> 8}.${index & 255}` }), anonymise);
    }
    answer();
    await writer.close();
    const written = await db.query<{ n: number }>('select sum(requests)::int as n from usage_log');
    expect(written.rows[0]?.n).toBe(250);
  });
});
