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
import { createTestDatabase, type TestDatabase } from './test-database.js';

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
 * The emulator's signing keys for every demo server this test worker starts on a fresh data directory:
 * made once per worker rather than two RSA key generations per server. Each server still signs with
 * keys of its own data directory, and its tokens name its own address as issuer.
 */
let workerSigningKeys: Promise<PortableSigningKeys> | undefined;

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
    database = options.database ?? (await createTestDatabase());
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
