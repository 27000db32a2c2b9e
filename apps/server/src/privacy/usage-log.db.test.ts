import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { loggerOptions } from '../http/logging.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { freePort, TEST_APP_OPTIONS } from '../test-support/test-server.js';
import { blocksInForce, topFailureSources } from './security-view.js';
import { settleUsageLog } from './usage-log.test-support.js';

// Addresses clients "come from" through the trusted proxy (127.0.0.1, the test itself).
const CLIENTS = [
  { address: '203.0.113.77', network: '203.0.113.0/24', forms: ['203.0.113.77'] },
  { address: '198.51.100.23', network: '198.51.100.0/24', forms: ['198.51.100.23'] },
  {
    address: '2001:db8:85a3:8d3:1319:8a2e:370:7348',
    network: '2001:db8:85a3::/48',
    forms: [
      '2001:db8:85a3:8d3:1319:8a2e:370:7348',
      '2001:0db8:85a3:08d3:1319:8a2e:0370:7348',
      '1319:8a2e:370:7348',
    ],
  },
  {
    address: '2001:db8:abcd:12::99',
    network: '2001:db8:abcd::/48',
    forms: ['2001:db8:abcd:12::99', '2001:db8:abcd:12:0:0:0:99', ':12::99'],
  },
  // An IPv4 client reported in IPv4-mapped IPv6 form.
  { address: '::ffff:192.0.2.201', network: '192.0.2.0/24', forms: ['192.0.2.201'] },
];

interface Running {
  app: FastifyInstance;
  baseUrl: string;
  logLines: string[];
  dataDir: string;
}

async function startServer(database: TestDatabase, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-usage-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    ...env,
  });
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = loggerOptions('trace');
  const app = await buildApp({
    config,
    db: database.db,
    logger:
      typeof logger === 'object' && logger !== null ? { ...logger, stream } : { level: 'trace', stream },
    ...TEST_APP_OPTIONS,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, baseUrl: config.publicBaseUrl, logLines, dataDir };
}

/** Every text-like column of every table in every schema we own, as text. */
async function everyStoredText(db: Database): Promise<string[]> {
  const columns = await db.query<{ table_schema: string; table_name: string; column_name: string }>(
    `select c.table_schema, c.table_name, c.column_name
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema not in ('pg_catalog', 'information_schema') and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'character', 'inet', 'cidr', 'json', 'jsonb', 'ARRAY', 'bytea')`,
  );
  const values: string[] = [];
  for (const column of columns.rows) {
    const name = `"${column.table_schema}"."${column.table_name}"`;
    const result = await db.query<{ value: string | null }>(
      `select "${column.column_name}"::text as value from ${name} where "${column.column_name}" is not null`,
    );
    for (const row of result.rows) if (row.value !== null) values.push(row.value);
  }
  return values;
}

describe('usage log behind a trusted proxy', () => {
  let database: TestDatabase;
  let server: Running;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(database, {
      TRUST_PROXY: '127.0.0.1/32,::1',
      BLOCK_AFTER_FAILURES: '4',
      BLOCK_FAILURE_WINDOW_SECONDS: '60',
      BLOCK_DURATION_SECONDS: '600',
    });
  });

  afterAll(async () => {
    await server.app.close();
    await database.drop();
    await rm(server.dataDir, { recursive: true, force: true });
  });

  it('logs every request with anonymised addresses only, and blocks a source after repeated failures', async () => {
    const userAgent =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    for (const client of CLIENTS) {
      const headers = { 'x-forwarded-for': client.address, 'user-agent': userAgent };
      const home = await fetch(`${server.baseUrl}/?utm_source=mail&secret=1`, {
        headers: { ...headers, referer: 'https://search.example/results?q=mailissa+private' },
      });
      expect(home.status).toBe(200);
      await home.text();
      const consent = await fetch(`${server.baseUrl}/cookie-settings`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'choice=accept&return_to=/',
      });
      expect(consent.status).toBe(303);
      // Probing unknown API paths: 404s until the guard blocks this network (4 failures), then 429.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const probe = await fetch(`${server.baseUrl}/api/wp-login.php?user=admin`, { headers });
        statuses.push(probe.status);
        await probe.text();
        // Failures are counted after the answer is sent; the next probe must see the count.
        await server.app.usageLog.settle();
      }
      expect(statuses.slice(0, 4)).toEqual([404, 404, 404, 404]);
      expect(statuses.slice(4)).toEqual([429, 429]);
    }
    // A source that was not blocked still gets through.
    const other = await fetch(`${server.baseUrl}/pricing`, { headers: { 'x-forwarded-for': '198.18.0.5' } });
    expect(other.status).toBe(200);
    await other.text();

    const db = database.db;
    await settleUsageLog(server.app, db, CLIENTS.length * 8 + 1);

    const rows = await db.query<{
      path: string;
      referrer: string | null;
      status: number;
      browser: string | null;
      os: string | null;
      ip_truncated: string;
      ip_hash: string;
      bytes_sent: number | null;
      requests: number;
    }>(
      `select path, referrer, status, browser, os, ip_truncated, ip_hash, bytes_sent, requests from usage_log_by_source`,
    );
    const home = rows.rows.find((row) => row.path === '/' && row.ip_truncated === '203.0.113.0/24');
    expect(home).toMatchObject({
      referrer: 'https://search.example/results',
      status: 200,
      browser: 'Chrome',
      os: 'Windows',
      requests: 1,
    });
    expect(home?.bytes_sent).toBeGreaterThan(1000);
    expect(rows.rows.some((row) => row.path.includes('?'))).toBe(false);
    for (const client of CLIENTS) {
      const own = rows.rows.filter((row) => row.ip_truncated === client.network);
      // Home, consent, 4 × 404 and 2 × 429: eight requests, identical ones in a second on one row.
      expect(own.reduce((sum, row) => sum + row.requests, 0)).toBe(8);
      expect(own.filter((row) => row.status === 404).reduce((sum, row) => sum + row.requests, 0)).toBe(4);
      expect(new Set(own.map((row) => row.ip_hash)).size).toBe(1);
    }
    expect(new Set(rows.rows.map((row) => row.ip_hash)).size).toBe(CLIENTS.length + 1);

    const consentNetworks = await db.query<{ ip_truncated: string }>(
      'select ip_truncated from consent_records',
    );
    expect(consentNetworks.rows.map((row) => row.ip_truncated).sort()).toEqual(
      CLIENTS.map((client) => client.network).sort(),
    );

    const blocks = await blocksInForce(db, new Date());
    expect(blocks.map((block) => block.ipTruncated).sort()).toEqual(CLIENTS.map((c) => c.network).sort());
    const top = await topFailureSources(db, { since: new Date(Date.now() - 60_000) });
    expect(top[0]?.failures).toBe(6);
    expect(top[0]?.paths).toEqual(['/api/wp-login.php']);

    // No full address anywhere: not in any text-like column of any table, not in any log line.
    const stored = (await everyStoredText(db)).join('\n');
    const logged = server.logLines.join('');
    expect(server.logLines.length).toBeGreaterThan(10);
    for (const form of [...CLIENTS.flatMap((client) => client.forms), '198.18.0.5']) {
      expect(stored).not.toContain(form);
      expect(logged).not.toContain(form);
    }
  });
});

describe('usage log without a trusted proxy', () => {
  it('ignores X-Forwarded-For and sees the real peer', async () => {
    const database = await createTestDatabase();
    const server = await startServer(database, { LOG_LEVEL: 'silent' });
    try {
      const response = await fetch(`${server.baseUrl}/`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      await response.text();
      await settleUsageLog(server.app, database.db, 1);
      const rows = await database.db.query<{ ip_truncated: string }>(
        'select ip_truncated from usage_log_by_source',
      );
      expect(rows.rows.map((row) => row.ip_truncated)).toEqual(['127.0.0.0/24']);
    } finally {
      await server.app.close();
      await database.drop();
      await rm(server.dataDir, { recursive: true, force: true });
    }
  });
});
