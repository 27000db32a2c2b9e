import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { createUsageLogWriter, type UsageLogEntry } from './usage-log-writer.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const AT = new Date('2026-11-30T10:15:42.750Z');

function entry(overrides: Partial<UsageLogEntry> = {}): UsageLogEntry {
  return {
    occurredAt: AT,
    method: 'GET',
    path: '/',
    referrer: null,
    status: 200,
    bytesSent: null,
    browser: null,
    os: null,
    ipTruncated: '203.0.113.0/24',
    ipHash: 'a'.repeat(64),
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
  ip_truncated: string;
  ip_hash: string;
}

describe('the usage log writer', () => {
  it('stores every field as given, nulls as nulls, and identical requests within a second as one row', async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    const writer = createUsageLogWriter(db, { flushIntervalMs: 60_000 });
    const full = entry({
      method: 'POST',
      path: '/contact',
      referrer: 'https://example.org/from/here',
      status: 303,
      bytesSent: 1234,
      browser: 'Firefox',
      os: 'Linux',
      ipTruncated: '2001:db8:85a3::/48',
      ipHash: 'b'.repeat(64),
    });
    writer.add(full);
    writer.add(full);
    writer.add(entry());
    // Separators in a logged text cannot split its row: they are stored as spaces.
    writer.add(entry({ path: '/a\tb\nc\rd', referrer: 'https://example.org/x\ty', ipHash: 'c'.repeat(64) }));
    await writer.close();

    const rows = (await db.query<Row>('select * from usage_log order by ip_hash')).rows.map((row) => ({
      ...row,
      occurred_at: new Date(row.occurred_at).toISOString(),
    }));
    expect(rows).toEqual([
      {
        occurred_at: '2026-11-30T10:15:42.000Z',
        requests: 1,
        method: 'GET',
        path: '/',
        referrer: null,
        status: 200,
        bytes_sent: null,
        browser: null,
        os: null,
        ip_truncated: '203.0.113.0/24',
        ip_hash: 'a'.repeat(64),
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
        ip_truncated: '2001:db8:85a3::/48',
        ip_hash: 'b'.repeat(64),
      },
      expect.objectContaining({
        path: '/a b c d',
        referrer: 'https://example.org/x y',
        ip_hash: 'c'.repeat(64),
      }),
    ]);
    expect(Number(rows[1]?.bytes_sent)).toBe(1234);
  });

  it('writes a flood of distinct sources in full, batch after batch', async () => {
    const { db } = database;
    await db.query('delete from usage_log');
    const writer = createUsageLogWriter(db, { flushIntervalMs: 60_000, maxBufferedRows: 100 });
    for (let index = 0; index < 1_250; index += 1) {
      writer.add(
        entry({
          occurredAt: new Date(AT.getTime() + index * 10),
          ipHash: index.toString(16).padStart(64, '0'),
          bytesSent: index,
        }),
      );
    }
    await writer.close();
    const summary = await db.query<{ n: number; hashes: number; bytes: string | number }>(
      'select count(*)::int as n, count(distinct ip_hash)::int as hashes, sum(bytes_sent) as bytes from usage_log',
    );
    expect(summary.rows[0]).toMatchObject({ n: 1_250, hashes: 1_250 });
    expect(Number(summary.rows[0]?.bytes)).toBe((1_249 * 1_250) / 2);
  });
});
