import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { TEST_APP_OPTIONS } from '../test-support/test-server.js';
import { PRIVACY_RETENTION_CRON, PRIVACY_RETENTION_JOB } from './privacy.jobs.js';
import { runPrivacyRetention } from './privacy-retention.js';
import { createSaltStore } from './usage-log-salts.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const HASH_C = 'c'.repeat(64);

/** A row as the previous release wrote it: one source in ip_truncated and ip_hash. */
async function insertUsage(db: Database, at: Date, hash: string, path = '/'): Promise<void> {
  await db.query(
    `insert into usage_log (occurred_at, method, path, referrer, status, bytes_sent, browser, os, ip_truncated, ip_hash)
     values ($1, 'GET', $2, null, 200, 100, 'Firefox', 'Linux', '203.0.113.0/24', $3)`,
    [at.toISOString(), path, hash],
  );
}

/** A row as this release writes it (decision 187): its sources listed, with their requests. */
async function insertUsageSources(db: Database, at: Date, sources: [hash: string, requests: number][]) {
  await db.query(
    `insert into usage_log (occurred_at, method, path, referrer, status, bytes_sent, browser, os,
                            requests, source_networks, source_hashes, source_requests)
     values ($1, 'GET', '/', null, 200, 100, 'Firefox', 'Linux', $2, $3, $4, $5)`,
    [
      at.toISOString(),
      sources.reduce((sum, [, requests]) => sum + requests, 0),
      sources.map(() => '198.51.100.0/24'),
      sources.map(([hash]) => hash),
      sources.map(([, requests]) => requests),
    ],
  );
}

async function insertConsent(db: Database, at: Date): Promise<void> {
  await db.query(
    `insert into consent_records (consent_id, recorded_at, policy_revision, preferences, statistics, gpc, ip_truncated, browser)
     values (gen_random_uuid(), $1, 'r1', true, false, false, '203.0.113.0/24', 'Firefox')`,
    [at.toISOString()],
  );
}

async function count(db: Database, table: string): Promise<number> {
  const result = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return result.rows[0]?.n ?? -1;
}

describe('privacy retention', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('folds old usage rows into daily totals, deletes them, and deletes salts after 48 hours', async () => {
    const db = database.db;
    const now = new Date('2026-06-20T12:00:00Z');
    await insertUsage(db, new Date('2026-06-10T08:00:00Z'), HASH_A);
    await insertUsage(db, new Date('2026-06-10T09:00:00Z'), HASH_A);
    await insertUsage(db, new Date('2026-06-10T10:00:00Z'), HASH_B);
    await insertUsageSources(db, new Date('2026-06-10T11:00:00Z'), [
      [HASH_B, 2],
      [HASH_C, 1],
    ]);
    await insertUsage(db, new Date(now.getTime() - 7 * DAY + HOUR), HASH_A); // still within 7 days
    const salts = createSaltStore(db);
    for (const day of ['2026-06-17', '2026-06-18', '2026-06-19', '2026-06-20']) {
      await salts.saltFor(new Date(`${day}T00:30:00Z`));
    }
    await db.query(
      `insert into security_blocks (ip_truncated, ip_hash, reason, failures, blocked_at, blocked_until)
       values ('203.0.113.0/24', $1, 'repeated_failures', 50, $2, $3), ('198.51.100.0/24', $1, 'repeated_failures', 50, $4, $5)`,
      [
        HASH_A,
        '2026-06-01T00:00:00Z',
        '2026-06-01T00:15:00Z',
        '2026-06-19T00:00:00Z',
        '2026-06-19T00:15:00Z',
      ],
    );
    await insertConsent(db, new Date(now.getTime() - 1096 * DAY));
    await insertConsent(db, new Date(now.getTime() - 1094 * DAY));
    // Abuse counters: one whose window and block are over (goes), one still blocked, one counting.
    await db.query(
      `insert into abuse_networks (network, window_started_at, failures, blocked_until)
       values ('203.0.113.0/24', $1, 3, $2), ('198.51.100.0/24', $1, 0, $3), ('192.0.2.0/24', $4, 2, null)`,
      [
        new Date(now.getTime() - HOUR).toISOString(),
        new Date(now.getTime() - HOUR / 2).toISOString(),
        new Date(now.getTime() + HOUR).toISOString(),
        new Date(now.getTime() - 60_000).toISOString(),
      ],
    );

    // Rate-limit windows: one over (goes), the current one (stays).
    await db.query(
      `insert into request_rate_limits (network, window_start, hits) values ('203.0.113.0/24', $1, 9), ('192.0.2.0/24', $2, 4)`,
      [new Date(now.getTime() - HOUR).toISOString(), new Date(now.getTime() - 30_000).toISOString()],
    );
    const outcome = await runPrivacyRetention(db, now, {
      usageLogRetentionDays: 7,
      consentRecordRetentionDays: 1095,
      blockFailureWindowSeconds: 300,
    });
    expect(outcome).toEqual({
      usageRowsAggregated: 1,
      usageRowsDeleted: 4,
      saltsDeleted: 2,
      blocksDeleted: 1,
      abuseNetworksDeleted: 1,
      rateLimitWindowsDeleted: 1,
      consentRecordsDeleted: 1,
    });
    const networks = await db.query<{ network: string }>(
      'select network from abuse_networks order by network',
    );
    expect(networks.rows.map((row) => row.network)).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
    expect(await count(db, 'usage_log')).toBe(1);
    const daily = await db.query(
      'select day::text as day, path, requests, bytes_sent, distinct_sources from usage_log_daily',
    );
    expect(daily.rows).toEqual([
      { day: '2026-06-10', path: '/', requests: 6, bytes_sent: 600, distinct_sources: 3 },
    ]);
    const kept = await db.query<{ day: string }>('select day::text as day from usage_log_salts order by day');
    // At 12:00 on the 20th, the salt of the 18th began 60 hours ago: gone. The 19th's began 36 hours ago.
    expect(kept.rows.map((row) => row.day)).toEqual(['2026-06-19', '2026-06-20']);
    expect(await count(db, 'security_blocks')).toBe(1);
    expect(await count(db, 'consent_records')).toBe(1);
  });
});

describe('privacy retention as a scheduled job', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let dataDir: string;
  let clock = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-retention-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      USAGE_LOG_RETENTION_DAYS: '3',
    });
    app = await buildApp({ config, db: database.db, now: () => clock, ...TEST_APP_OPTIONS });
    // A demo server takes jobs once it listens (its Microsoft is itself).
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is scheduled hourly and deletes by the context clock', async () => {
    const db = database.db;
    const schedules = await db.query<{ name: string; cron: string }>(
      'select name, cron from pgboss.schedule',
    );
    expect(schedules.rows).toContainEqual({ name: PRIVACY_RETENTION_JOB, cron: PRIVACY_RETENTION_CRON });

    await insertUsage(db, new Date('2026-03-01T09:00:00Z'), HASH_A);
    // Move the clock four days on: with a 3-day retention the row is now due.
    clock = new Date('2026-03-05T10:00:00Z');
    await app.appContext.jobs.send(PRIVACY_RETENTION_JOB, {});
    await expect.poll(() => count(db, 'usage_log'), { timeout: 15_000 }).toBe(0);
    expect(await count(db, 'usage_log_daily')).toBe(1);
  });
});
