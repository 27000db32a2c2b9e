import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEMO_APP } from '../fixture.js';
import type { JiraEmulator } from '../jira/jira.plugin.js';
import { buildEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from '../server.js';
import { reservePort } from './free-port.js';

export interface TestEmulatorServer {
  app: FastifyInstance;
  baseUrl: string;
  dataDir: string;
  /** The Jira stand-in under /emulator/jira: its issues and faults, for tests that count what was made. */
  jira: JiraEmulator;
  /** The registered application and where its issuers live, as the product's config would name them. */
  config: { entra: { clientId: string; clientSecret: string; authorityBase: string } };
  close(): Promise<void>;
}

/** The emulators alone on a free loopback port with a fresh data directory (or the one given). */
export async function startEmulatorServer(
  options: { dataDir?: string; importDir?: string; overrides?: Partial<EmulatorServerOptions> } = {},
): Promise<TestEmulatorServer> {
  // Held while the emulators seed (seconds), so no test in another process takes it meanwhile.
  const reserved = await reservePort();
  const port = reserved.port;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'mailissa-emulator-')));
  const baseUrl = `http://127.0.0.1:${port}`;
  let server: EmulatorServer;
  try {
    server = await buildEmulatorServer({
      publicBaseUrl: baseUrl,
      dataDir,
      importDir: options.importDir ?? null,
      nodeEnv: 'test',
      // Seeding the emulator takes a few seconds of CPU; on a machine shared with other test runs that
      // can pass Fastify's 10 s plugin limit, which would fail the test for the wrong reason.
      pluginTimeout: 120_000,
      // A test's server goes away with its test: a client's keep-alive connection must not hold close()
      // up until Fastify's 72 s keep-alive timeout.
      forceCloseConnections: true,
      ...options.overrides,
    });
  } finally {
    await reserved.release();
  }
  await server.app.listen({ port, host: '127.0.0.1' });
  return {
    app: server.app,
    baseUrl,
    dataDir,
    jira: server.jira,
    config: {
      entra: {
        clientId: DEMO_APP.clientId,
        clientSecret: DEMO_APP.clientSecret,
        authorityBase: `${baseUrl}/emulator`,
      },
    },
    async close() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
