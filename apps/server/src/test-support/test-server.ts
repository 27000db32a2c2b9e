import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freePort,
  generateSigningKeys,
  type PortableSigningKeys,
  placeSigningKeys,
  reservePort,
} from '@mailissa/emulators/test-client';
import type { FastifyInstance } from 'fastify';
import { type BuildAppOptions, buildApp } from '../app.js';
import { type Config, loadConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import {
  createTestDatabase,
  preparePgliteTemplate,
  type TestDatabase,
  testDatabaseKind,
} from './test-database.js';

export { freePort };

export interface TestServer {
  app: FastifyInstance;
  baseUrl: string;
  config: Config;
  database: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

/** What every server a test builds (buildApp) should pass. */
export const TEST_APP_OPTIONS = {
  // Demo mode seeds the emulators, a few seconds of CPU; on a machine shared with other test runs
  // that can pass Fastify's 10 s plugin limit, which would fail the test for the wrong reason.
  pluginTimeout: 120_000,
  // A client's keep-alive connection must not hold close() up until Fastify's 72 s keep-alive timeout.
  forceCloseConnections: true,
} as const;

/**
 * A server clock a test moves forward: real time plus whatever the test skipped, so it stays in step
 * with a browser whose Playwright clock flows from the same real time and jumps by the same amounts.
 */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function createTestClock(): TestClock {
  let skippedMs = 0;
  return {
    now: () => new Date(Date.now() + skippedMs),
    advance(ms) {
      skippedMs += ms;
    },
  };
}

/**
 * A server clock that stands still in the middle of the current minute. Rate-limit budgets are counted
 * in windows aligned on the clock's minutes: requests on real time may straddle a minute's end and
 * start a new budget halfway through a test (seen once in a full run).
 */
export function clockStoppedMidMinute(): () => Date {
  const middle = new Date();
  middle.setUTCSeconds(30, 0);
  return () => new Date(middle);
}

/**
 * The emulator's signing keys for every demo server this test worker starts on a fresh data directory:
 * made once per worker rather than two RSA key generations per server. Each server still signs with
 * keys of its own data directory, and its tokens name its own address as issuer.
 */
let workerSigningKeys: Promise<PortableSigningKeys> | undefined;

/**
 * On PGlite, the database every test server starts from: migrated, with the job queue's schema and
 * every queue created as a server's first start creates them. pg-boss makes a table per queue, about
 * 0.3 s for all of them on each server start; here once per test worker. Held in memory only, so it
 * always follows the code under test.
 */
let workerQueueTemplate: Promise<Blob> | undefined;

/**
 * Starts a server once on a migrated database without demo mode and as a process that only serves
 * requests: it creates the job queues (and their schema) and nothing else. Checked: a server start
 * that wrote rows would put them into every test's database.
 */
function queueReadyTemplate(): Promise<Blob> {
  workerQueueTemplate ??= preparePgliteTemplate(async (db) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-queues-'));
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        PORT: '1',
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: 'http://127.0.0.1:1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        PROCESS_ROLE: 'api',
        ENTRA_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        ENTRA_CLIENT_SECRET: 'not-used-here',
        OPERATOR_TENANT_ID: '11111111-2222-4333-8444-555555555555',
        OPERATOR_OBJECT_IDS: 'aaaaaaaa-2222-4333-8444-555555555555',
        SMTP_URL: 'smtp://127.0.0.1:1',
      });
      const app = await buildApp({ config, db, ...TEST_APP_OPTIONS });
      await app.close();
      await expectOnlyQueuesWritten(db);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
  return workerQueueTemplate;
}

async function expectOnlyQueuesWritten(db: Database): Promise<void> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select quote_ident(table_schema) || '.' || quote_ident(table_name) as name
       from information_schema.tables
      where table_type = 'BASE TABLE'
        and (table_schema = current_schema() or (table_schema = 'pgboss' and table_name = 'job'))
        and table_name <> 'schema_migrations'`,
  );
  const { rows } = await db.query<Record<string, number>>(
    `select ${tables.map((table, index) => `(select count(*)::int from ${table.name}) as t${index}`).join(', ')}`,
  );
  const written = tables.filter((_, index) => (rows[0]?.[`t${index}`] ?? 0) > 0).map((table) => table.name);
  if (written.length > 0) {
    throw new Error(`a server start without demo mode wrote rows in ${written.join(', ')}`);
  }
  const { rows: queues } = await db.query<{ n: number }>('select count(*)::int as n from pgboss.queue');
  if ((queues[0]?.n ?? 0) === 0) throw new Error('a server start created no job queue');
}

/**
 * A real server on a free loopback port, in demo mode unless `env` says otherwise, with a fresh
 * database (PGlite or PostgreSQL, per the Vitest project) and a fresh data directory.
 */
export async function startTestServer(
  options: {
    env?: Record<string, string>;
    database?: TestDatabase;
    dataDir?: string;
    /** The server's clock (see createTestClock); real time by default. */
    now?: () => Date;
    /** Replaces the server's log output and traces (see buildApp). */
    logger?: BuildAppOptions['logger'];
    tracing?: BuildAppOptions['tracing'];
  } = {},
): Promise<TestServer> {
  // Held while the server builds (demo seeding takes seconds), so no other test process takes it.
  const reserved = await reservePort();
  const port = reserved.port;
  let dataDir: string;
  let config: Config;
  let database: TestDatabase;
  let app: FastifyInstance;
  try {
    dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'mailissa-test-')));
    config = loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    if (!options.dataDir && config.demoMode) {
      workerSigningKeys ??= generateSigningKeys();
      await placeSigningKeys(dataDir, await workerSigningKeys);
    }
    database =
      options.database ??
      (await createTestDatabase(
        testDatabaseKind() === 'pglite' ? { pgliteTemplate: await queueReadyTemplate() } : {},
      ));
    app = await buildApp({
      config,
      db: database.db,
      now: options.now,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.tracing ? { tracing: options.tracing } : {}),
      ...TEST_APP_OPTIONS,
    });
  } finally {
    await reserved.release();
  }
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    baseUrl: config.publicBaseUrl,
    config,
    database,
    dataDir,
    async close() {
      await app.close();
      if (!options.database) await database.drop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
