import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/database.js';
import { JIRA_DEMO_ACCOUNTS } from '../../demo/emulators.js';
import { createTarget } from '../../targets/save-target.js';
import { makeRetriesDueNow } from '../../test-support/job-queue-state.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { TRANSFER_QUEUE } from '../../transfer/transfer-queue.js';
import {
  accessTokenFor,
  apiClient,
  findMail,
  waitForTransfer,
} from '../../transfer/transfer-test-helpers.js';
import { type SaasEmulators, startSaasEmulators } from '../rest-target/rest-target-test-support.js';

/**
 * A Jira transfer run by the product's own worker and queue, against the Jira stand-in on a port of
 * its own, so Jira keeps its issues while the product's server dies and starts again (issue 11,
 * "Killing the worker during a Jira transfer and restarting it leaves exactly one issue"; item 10's
 * 429 with Retry-After).
 */

const anna = JIRA_DEMO_ACCOUNTS.anna;
const CREATE_ISSUE = /\/rest\/api\/3\/issue$/;

let database: TestDatabase;
let dataDir: string;
let emulators: SaasEmulators;
let server: TestServer | undefined;
let targetId = '';

async function start(): Promise<{ server: TestServer; token: string }> {
  const started = await startTestServer({
    database,
    dataDir,
    env: {
      // A crash does not wait for the request in flight: the shortest grace the server allows.
      SHUTDOWN_GRACE_SECONDS: '1',
      // Demo mode's explicit allow-list: the stand-in's own loopback port.
      CONNECTOR_ALLOWED_ORIGINS: emulators.baseUrl,
    },
  });
  server = started;
  const token = await accessTokenFor(
    started,
    started.app.emulator.ids.demoTenantId,
    started.app.emulator.ids.demoUserUpn,
  );
  return { server: started, token };
}

function issuesAbout(subject: string) {
  return emulators.jira.store.issues.filter((issue) => issue.summary === subject);
}

async function requestTransfer(running: { server: TestServer; token: string }, subject: string) {
  const mail = await findMail(running.server, subject);
  const created = await apiClient(running.server)<{ transfer: Transfer }>(
    running.token,
    'POST',
    '/api/transfers',
    { messageId: mail.id, internetMessageId: mail.internetMessageId, targetId },
  );
  expect(created.status).toBe(202);
  return created.body.transfer.id;
}

/** The queue's job of a transfer: its state and in how many seconds it may start again. */
async function jobOf(transferId: string) {
  const rows = await database.db.query<{ state: string; wait: number }>(
    `select state, extract(epoch from (start_after - now()))::int as wait
       from pgboss.job where name = $1 and data->>'transferId' = $2`,
    [TRANSFER_QUEUE, transferId],
  );
  return rows.rows[0];
}

beforeAll(async () => {
  [database, emulators] = await Promise.all([createTestDatabase(), startSaasEmulators()]);
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-jira-worker-'));
  const running = await start();
  const tenantId = running.server.app.emulator.ids.demoTenantId;
  const tenant = await database.db.query<{ id: string }>(
    'select id from tenants where microsoft_tenant_id = $1',
    [tenantId],
  );
  const tenantRowId = tenant.rows[0]?.id ?? '';
  const target = await withTenant(database.db, tenantRowId, (tx) =>
    createTarget(
      tx,
      tenantRowId,
      { system: 'test' },
      {
        connectorType: 'jira',
        title: { en: 'Mail intake', de: 'Posteingang' },
        categoryId: null,
        settings: { siteUrl: emulators.jira.siteUrl, projectKey: 'MAIL' },
        enabled: true,
      },
      running.server.app.appContext.checkTargetUrl,
    ),
  );
  targetId = target.id;
  running.server.app.appContext.tenantConfig.invalidate(tenantRowId);
  const connected = await fetch(`${running.server.baseUrl}/api/targets/${targetId}/account`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${running.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ credential: { email: anna.emailAddress, apiToken: anna.apiToken } }),
  });
  expect(connected.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await emulators?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a Jira transfer on the product’s worker and queue', () => {
  it('waits as long as Jira’s Retry-After asks before it tries again, then makes one issue', async () => {
    const subject = 'Lunch on Thursday?';
    const live = server as TestServer;
    const token = await accessTokenFor(
      live,
      live.app.emulator.ids.demoTenantId,
      live.app.emulator.ids.demoUserUpn,
    );
    emulators.jira.faults.inject({
      method: 'POST',
      pathPattern: CREATE_ISSUE,
      status: 429,
      retryAfterSeconds: 120,
      times: 1,
    });
    const transferId = await requestTransfer({ server: live, token }, subject);

    // The queue's own first back-off is 5–10 s; Jira asked for two minutes, and the job waits that.
    // The failure and the later start are two statements: the job is in 'retry' a moment before its
    // start moves out, so the wait is polled for, not read once.
    await expect.poll(() => jobOf(transferId), { timeout: 15_000 }).toMatchObject({ state: 'retry' });
    await expect
      .poll(async () => (await jobOf(transferId))?.wait, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(110);
    expect(issuesAbout(subject)).toHaveLength(0);

    expect(await makeRetriesDueNow(database.db, TRANSFER_QUEUE)).toBe(1);
    const done = await waitForTransfer(live, token, transferId);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    expect(issuesAbout(subject)).toHaveLength(1);
  });

  it('gives up at once, saying so, when Jira asks to wait longer than a transfer waits', async () => {
    const live = server as TestServer;
    const token = await accessTokenFor(
      live,
      live.app.emulator.ids.demoTenantId,
      live.app.emulator.ids.demoUserUpn,
    );
    const subject = 'Sales dashboard for October';
    emulators.jira.faults.inject({
      method: 'POST',
      pathPattern: CREATE_ISSUE,
      status: 429,
      retryAfterSeconds: 3600,
      times: 1,
    });
    const failed = await waitForTransfer(
      live,
      token,
      await requestTransfer({ server: live, token }, subject),
    );
    expect(failed.state).toBe('failed');
    expect(failed.failureReason).toMatch(/asked Mailissa to wait longer/);
    expect(issuesAbout(subject)).toHaveLength(0);
  });

  it('leaves exactly one issue when the worker is killed after Jira made it, and restarts', async () => {
    const subject = 'Offer 2026-117 for Northwind with price list';
    const first = server as TestServer;
    const token = await accessTokenFor(
      first,
      first.app.emulator.ids.demoTenantId,
      first.app.emulator.ids.demoUserUpn,
    );
    // Jira creates the issue, but its answer never reaches the worker: the worker cannot know.
    emulators.jira.faults.inject({
      method: 'POST',
      pathPattern: CREATE_ISSUE,
      status: 201,
      withholdAnswer: true,
      times: 1,
    });
    const transferId = await requestTransfer({ server: first, token }, subject);
    await expect.poll(() => issuesAbout(subject).length, { timeout: 15_000 }).toBe(1);

    // The kill: the server goes away mid-request; nothing is recorded, nothing tidied up.
    await first.close();
    server = undefined;
    await expect.poll(() => makeRetriesDueNow(database.db, TRANSFER_QUEUE), { timeout: 15_000 }).toBe(1);

    const second = await start();
    const done = await waitForTransfer(second.server, second.token, transferId);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    const issues = issuesAbout(subject);
    expect(issues).toHaveLength(1);
    expect(done.folderUrl).toBe(`${emulators.jira.siteUrl}/browse/${issues[0]?.key}`);
    const names = issues[0]?.attachments.map((file) => file.filename) ?? [];
    expect(names.filter((name) => name.endsWith('.eml'))).toHaveLength(1);
    expect(names.filter((name) => name === 'price-list.csv')).toHaveLength(1);
    expect(names).toHaveLength(done.files.length);
  });
});
