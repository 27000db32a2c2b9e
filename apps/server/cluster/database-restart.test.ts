import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_APP, demoFixture } from '../../../packages/emulators/src/fixture.js';
import { signInWithEmulator } from '../../../packages/emulators/src/test-client.js';
import { freePort } from '../src/test-support/test-server.js';
import { folderFileNames, offerMail } from './emulator-drive.js';
import { type ClusterProcess, launchServer } from './start-cluster.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.js';

/**
 * A database restart under a running server (docs/operations.md §7): a PostgreSQL cluster of the
 * test's own is stopped and started again while one server process (`PROCESS_ROLE=all`) keeps running.
 * Meanwhile /readyz says so and requests are refused at once with 503; afterwards everything works
 * again without a restart of the server, and a transfer queued just before the stop is delivered once.
 */
let postgres: ThrowawayPostgres;
let server: ClusterProcess;
let baseUrl: string;
let dataDir: string;
let anna: string;

/** A guard against a hang, not a speed goal: a request the server holds this long has hung. */
const HANG = 60_000;

async function call<T>(
  pathname: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T; retryAfter: string | null }> {
  const response = await fetch(`${baseUrl}${pathname}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${anna}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(HANG),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : null) as T,
    retryAfter: response.headers.get('retry-after'),
  };
}

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-restart-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // Demo mode: the Microsoft 365 emulator runs inside the server, which is all this test needs.
  server = await launchServer('all', port, {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: postgres.url,
    PROCESS_ROLE: 'all',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  anna = (
    await signInWithEmulator({
      baseUrl,
      tenantId: demoFixture.tenants.demo.microsoftTenantId,
      user: demoFixture.users.demo.upn,
      scope: `api://${DEMO_APP.clientId}/access_as_user`,
      clientId: DEMO_APP.clientId,
    })
  ).accessToken;
});

afterAll(async () => {
  await server?.kill();
  await postgres?.destroy();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a database restart under a running server', () => {
  it('is reported by /readyz, refused with 503 at once, and survived without restarting the server', async ({
    onTestFailed,
  }) => {
    onTestFailed(() => {
      process.stderr.write(`the server said:\n${server.output()}\n`);
    });
    expect((await call('/api/me')).status).toBe(200);
    const targets = await call<{ targets: { id: string; title: string }[] }>('/api/targets');
    const contracts = targets.body.targets.find((target) => target.title === 'Contracts 2026');
    const mail = await offerMail(baseUrl);
    const transferBody = {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: contracts?.id,
    };
    const filesBefore = (await folderFileNames(baseUrl, 'Contracts 2026')).length;

    // Queued just before the database goes away: it must not be lost.
    const before = await call<{ transfer: Transfer }>('/api/transfers', {
      method: 'POST',
      body: transferBody,
    });
    expect(before.status).toBe(202);
    await postgres.stop();

    const ready = await call<{ status: string; database: string }>('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', database: 'unreachable' });
    const me = await call<{ error: { code: string } }>('/api/me');
    expect(me.status).toBe(503);
    expect(me.body.error.code).toBe('database_unavailable');
    expect(me.retryAfter).toBe('5');
    const refused = await call<{ error: { code: string } }>('/api/transfers', {
      method: 'POST',
      body: transferBody,
    });
    expect(refused.status).toBe(503);
    // The process itself is fine all along.
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

    await postgres.start();
    // The server reconnects by itself: same process, no restart.
    await vi.waitFor(async () => expect((await call('/readyz')).status).toBe(200), {
      timeout: HANG,
      interval: 200,
    });
    expect((await call('/api/me')).status).toBe(200);
    const after = await call<{ transfer: Transfer }>('/api/transfers', {
      method: 'POST',
      body: transferBody,
    });
    expect(after.status).toBe(202);

    const finished = await vi.waitFor(
      async () => {
        const all = await Promise.all(
          [before, after].map(
            async (created) =>
              (await call<{ transfer: Transfer }>(`/api/transfers/${created.body.transfer.id}`)).body
                .transfer,
          ),
        );
        for (const transfer of all) expect(transfer.state).toBe('done');
        return all;
      },
      { timeout: 180_000, interval: 250 },
    );
    // Each wrote its mail and three attachments once: nothing lost, nothing doubled.
    const names = await folderFileNames(baseUrl, 'Contracts 2026');
    expect(names.length - filesBefore).toBe(8);
    expect(new Set(finished.flatMap((transfer) => transfer.files.map((file) => file.name))).size).toBe(8);
  });
});
