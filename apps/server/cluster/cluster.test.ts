import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_APP, demoFixture } from '../../../packages/emulators/src/fixture.js';
import { JIRA_DEMO_ACCOUNTS } from '../../../packages/emulators/src/jira/jira-store.js';
import { signInWithEmulator } from '../../../packages/emulators/src/test-client.js';
import { withTenant } from '../src/db/database.js';
import { HANDED_BACK_REASON } from '../src/jobs/job-queue.js';
import { makeRetriesDueNowListing } from '../src/test-support/job-queue-state.js';
import { TRANSFER_WORKERS_PER_PROCESS } from '../src/transfer/transfer.jobs.js';
import { TRANSFER_QUEUE } from '../src/transfer/transfer-queue.js';
import { createWebSession } from '../src/web-session/web-session.store.js';
import { folderFileNames, offerMail } from './emulator-drive.js';
import { CLUSTER_SETTINGS, type Cluster, startCluster } from './start-cluster.js';

/**
 * Several instances, one database (docs/operations.md §1): whichever instance answers, a session,
 * a cached configuration and a block are the same, and each job runs once even when a worker dies.
 */
let cluster: Cluster;
let tenantId: string;
let anna: string;
let portalCookie: string;

interface Answer<T> {
  status: number;
  upstream: string;
  body: T;
}

async function call<T>(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer<T>> {
  const response = await fetch(`${cluster.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    upstream: response.headers.get('x-upstream') ?? '',
    body: (text ? JSON.parse(text) : null) as T,
  };
}

const asAnna = () => ({ authorization: `Bearer ${anna}` });
const asAdmin = () => ({
  cookie: `mailissa_portal=${portalCookie}`,
  origin: cluster.baseUrl,
  'x-requested-with': 'mailissa',
});

beforeAll(async () => {
  cluster = await startCluster();
  const tokens = await signInWithEmulator({
    baseUrl: cluster.emulator.baseUrl,
    tenantId: demoFixture.tenants.demo.microsoftTenantId,
    user: demoFixture.users.demo.upn,
    scope: `api://${DEMO_APP.clientId}/access_as_user`,
    clientId: DEMO_APP.clientId,
  });
  anna = tokens.accessToken;
  // Her first request records her; as the tenant's first user she administers it.
  expect((await call('/api/me', { headers: asAnna() })).status).toBe(200);
  const db = cluster.database.db;
  const tenant = await db.query<{ id: string }>('select id from tenants where microsoft_tenant_id = $1', [
    demoFixture.tenants.demo.microsoftTenantId,
  ]);
  tenantId = tenant.rows[0]?.id ?? '';
  const user = await withTenant(db, tenantId, (tx) =>
    tx.query<{ id: string }>('select id from users where tenant_id = $1 and entra_object_id = $2', [
      tenantId,
      demoFixture.users.demo.objectId,
    ]),
  );
  // Her directory role: a Global Administrator, as Entra would report it at sign-in.
  await withTenant(db, tenantId, (tx) =>
    tx.query('update users set is_tenant_admin = true where tenant_id = $1 and id = $2', [
      tenantId,
      user.rows[0]?.id,
    ]),
  );
  portalCookie = (
    await createWebSession(
      db,
      { app: 'portal', tenantId, userId: user.rows[0]?.id ?? '', displayName: 'Anna' },
      new Date(),
    )
  ).token;
});

afterAll(async () => cluster?.close());

describe('a cluster of two API instances and a worker behind nginx', () => {
  it('keeps a portal session whichever instance answers', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => call('/portal/api/targets', { headers: asAdmin() })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.upstream)).size).toBe(2);
  });

  it("invalidates every instance's cached configuration when an administrator changes a target", async () => {
    type Targets = { targets: { id: string; title: string }[] };
    // Both instances cache the tenant's targets first.
    const before = await Promise.all([1, 2].map(() => call<Targets>('/api/targets', { headers: asAnna() })));
    expect(new Set(before.map((answer) => answer.upstream)).size).toBe(2);
    const alpha = before[0]?.body.targets.find((target) => target.title === 'Project Alpha');
    expect(alpha).toBeDefined();

    const disabled = await call(`/portal/api/targets/${alpha?.id}`, {
      method: 'PATCH',
      headers: asAdmin(),
      body: { enabled: false },
    });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    // The other instance learns it through LISTEN/NOTIFY, within moments, without a restart.
    await vi.waitFor(
      async () => {
        const after = await Promise.all(
          [1, 2].map(() => call<Targets>('/api/targets', { headers: asAnna() })),
        );
        expect(new Set(after.map((answer) => answer.upstream)).size).toBe(2);
        for (const answer of after)
          expect(answer.body.targets.map((t) => t.title)).not.toContain('Project Alpha');
      },
      { timeout: 5000, interval: 50 },
    );
  });

  it('delivers every transfer exactly once when the worker is killed mid-run and another starts', async () => {
    type Targets = { targets: { id: string; title: string }[] };
    const targets = await call<Targets>('/api/targets', { headers: asAnna() });
    const contracts = targets.body.targets.find((target) => target.title === 'Contracts 2026');
    const mail = await offerMail(cluster.emulator.baseUrl);
    expect(contracts).toBeTruthy();
    const filesBefore = (await folderFileNames(cluster.emulator.baseUrl, 'Contracts 2026')).length;

    // CLUSTER_TRANSFERS=200 for the issue's count; the default keeps test:cluster within minutes on
    // a shared two-core machine.
    const count = Number(process.env.CLUSTER_TRANSFERS ?? 60);
    const created: string[] = [];
    const body = { messageId: mail.id, internetMessageId: mail.internetMessageId, targetId: contracts?.id };
    // Eight at a time, as several users would send them, through nginx to both instances.
    for (let index = 0; index < count; index += 8) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(8, count - index) }, () =>
          call<{ transfer: Transfer }>('/api/transfers', { method: 'POST', headers: asAnna(), body }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(202);
        created.push(answer.body.transfer.id);
      }
    }
    // Polled in the database (one query), not over 200 API calls at each look.
    const states = async () => {
      const result = await withTenant(cluster.database.db, tenantId, (tx) =>
        tx.query<{ state: string; count: number }>(
          'select state, count(*)::int as count from transfers where tenant_id = $1 and id = any($2::uuid[]) group by state',
          [tenantId, created],
        ),
      );
      return Object.fromEntries(result.rows.map((row) => [row.state, row.count])) as Record<string, number>;
    };

    // Some are done, others still waiting or in flight: the worker dies without any shutdown.
    await vi.waitFor(async () => expect((await states()).done ?? 0).toBeGreaterThanOrEqual(count / 10), {
      timeout: 240_000,
      interval: 100,
    });
    await cluster.worker.kill();
    await cluster.startWorker();

    await vi.waitFor(
      async () => {
        const now = await states();
        expect((now.done ?? 0) + (now.failed ?? 0)).toBe(count);
      },
      { timeout: 600_000, interval: 500 },
    );
    const finished = await Promise.all(
      created.map(
        async (id) =>
          (await call<{ transfer: Transfer }>(`/api/transfers/${id}`, { headers: asAnna() })).body.transfer,
      ),
    );
    expect(finished.filter((transfer) => transfer.state === 'done').length).toBe(count);
    // Each transfer wrote the mail and its three attachments once: nothing lost, nothing doubled.
    const names = await folderFileNames(cluster.emulator.baseUrl, 'Contracts 2026');
    expect(names.length - filesBefore).toBe(count * 4);
    expect(new Set(names).size).toBe(names.length);
    const recorded = finished.flatMap((transfer) => transfer.files.map((file) => file.name));
    expect(new Set(recorded).size).toBe(count * 4);
    for (const name of recorded) expect(names).toContain(name);
  }, 900_000);

  it('leaves exactly one Jira issue per transfer when the worker is killed while Jira withholds its answers', async () => {
    type Targets = { targets: { id: string; title: string }[] };
    const jira = cluster.emulator.jira;
    const created = await call<{ target: { id: string } }>('/portal/api/targets', {
      method: 'POST',
      headers: asAdmin(),
      body: {
        connectorType: 'jira',
        title: { en: 'Mail intake', de: 'Posteingang' },
        categoryId: null,
        settings: { siteUrl: jira.siteUrl, projectKey: 'MAIL' },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const targetId = created.body.target.id;
    // Both instances show it (LISTEN/NOTIFY) before Anna uses it through either.
    await vi.waitFor(
      async () => {
        const seen = await Promise.all(
          [1, 2].map(() => call<Targets>('/api/targets', { headers: asAnna() })),
        );
        expect(new Set(seen.map((answer) => answer.upstream)).size).toBe(2);
        for (const answer of seen) expect(answer.body.targets.map((target) => target.id)).toContain(targetId);
      },
      { timeout: 5000, interval: 50 },
    );
    // Anna connects her own Atlassian account, as the add-in asks her to.
    const account = JIRA_DEMO_ACCOUNTS.anna;
    const connected = await call(`/api/targets/${targetId}/account`, {
      method: 'PUT',
      headers: asAnna(),
      body: { credential: { email: account.emailAddress, apiToken: account.apiToken } },
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);

    const mail = await offerMail(cluster.emulator.baseUrl);
    const issuesOfMail = () => jira.store.issues.filter((issue) => issue.summary === mail.subject);
    const issuesBefore = issuesOfMail().length;
    // Jira makes the issue of each transfer the worker runs at once, but its answer never reaches
    // the worker; one transfer more waits in the queue behind them.
    const held = TRANSFER_WORKERS_PER_PROCESS;
    const count = held + 1;
    jira.faults.inject({
      method: 'POST',
      pathPattern: /\/rest\/api\/3\/issue$/,
      status: 201,
      withholdAnswer: true,
      times: held,
    });
    const body = { messageId: mail.id, internetMessageId: mail.internetMessageId, targetId };
    const answers = await Promise.all(
      Array.from({ length: count }, () =>
        call<{ transfer: Transfer }>('/api/transfers', { method: 'POST', headers: asAnna(), body }),
      ),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const ids = answers.map((answer) => answer.body.transfer.id);
    await vi.waitFor(() => expect(issuesOfMail().length - issuesBefore).toBe(held), {
      timeout: 60_000,
      interval: 50,
    });

    const transferOf = async (id: string) =>
      (await call<{ transfer: Transfer }>(`/api/transfers/${id}`, { headers: asAnna() })).body.transfer;
    const running = new Set(
      (await Promise.all(ids.map(transferOf)))
        .filter((transfer) => transfer.state === 'running')
        .map((transfer) => transfer.id),
    );
    expect(running.size).toBe(held);

    // kill -9 while those requests wait for Jira's answers: the worker never learns the issue keys.
    await cluster.worker.kill();
    // The next worker hands the dead one's jobs back once it has been silent 30 s (worker-leases.ts);
    // the SharePoint case above waits that out. Here the database's clock jumps over that silence,
    // and over the queue's retry back-off below, as makeRetriesDueNow does in the connector tests.
    await cluster.database.db.query(`update job_workers set seen_at = now() - interval '1 hour'`);
    await cluster.startWorker();
    // Exactly the dead worker's jobs are handed back. Any other retry is an attempt that failed on its
    // own (say, a slow first request of the new worker): the queue retries it, and what follows checks
    // that it still ends in one issue; its reason is printed so a run shows what happened.
    const handedBack = new Set<string>();
    await vi.waitFor(
      async () => {
        for (const retry of await makeRetriesDueNowListing(cluster.database.db, TRANSFER_QUEUE)) {
          const transferId = String(retry.data.transferId);
          if (retry.reason === HANDED_BACK_REASON) handedBack.add(transferId);
          else console.warn(`transfer ${transferId} retried after its attempt failed: ${retry.reason}`);
        }
        expect(handedBack).toEqual(running);
      },
      { timeout: 60_000, interval: 200 },
    );

    await vi.waitFor(
      async () => {
        const states = await Promise.all(ids.map(async (id) => (await transferOf(id)).state));
        expect(states.filter((state) => state === 'done' || state === 'failed')).toHaveLength(count);
      },
      { timeout: 60_000, interval: 200 },
    );
    const finished = await Promise.all(ids.map(transferOf));
    expect(finished.map((transfer) => [transfer.state, transfer.failureReason])).toEqual(
      Array(count).fill(['done', null]),
    );
    // One issue per transfer, each the one its transfer links to, each with its files once.
    const issues = issuesOfMail().slice(issuesBefore);
    expect(issues).toHaveLength(count);
    expect(new Set(finished.map((transfer) => transfer.folderUrl))).toEqual(
      new Set(issues.map((issue) => `${jira.siteUrl}/browse/${issue.key}`)),
    );
    for (const transfer of finished) {
      const issue = issues.find(
        (candidate) => transfer.folderUrl === `${jira.siteUrl}/browse/${candidate.key}`,
      );
      const names = (issue?.attachments ?? []).map((file) => file.filename).sort();
      expect(names.filter((name) => name.endsWith('.eml'))).toHaveLength(1);
      expect(names.filter((name) => name === 'price-list.csv')).toHaveLength(1);
      expect(names).toEqual(transfer.files.map((file) => file.name).sort());
    }
  });

  it('blocks a network on every instance once it failed too often on any', async () => {
    const attacker = { 'x-forwarded-for': '198.51.100.23', authorization: 'Bearer not-a-token' };
    let blocked: Answer<{ error: { code: string } }> | undefined;
    for (let attempt = 0; attempt < CLUSTER_SETTINGS.blockAfterFailures * 3 && !blocked; attempt++) {
      const answer = await call<{ error: { code: string } }>('/api/me', { headers: attacker });
      if (answer.status === 429) blocked = answer;
      else expect(answer.status).toBe(401);
    }
    expect(blocked?.body.error.code).toBe('temporarily_blocked');
    const after = await Promise.all(
      [1, 2, 3, 4].map(() => call<{ error: { code: string } }>('/api/me', { headers: attacker })),
    );
    expect(new Set(after.map((answer) => answer.upstream)).size).toBe(2);
    for (const answer of after) expect(answer.body.error.code).toBe('temporarily_blocked');
    // Another network is not affected.
    const other = await call('/api/me', { headers: { 'x-forwarded-for': '203.0.113.9', ...asAnna() } });
    expect(other.status).toBe(200);
  });
  // Last: it leaves one API instance.
  it('drains an API instance on SIGTERM: its requests in flight finish, nginx sends the rest to the other', async () => {
    const faults = cluster.emulator.app.emulator.faults;
    const [leaving, staying] = cluster.apis;
    if (!leaving || !staying) throw new Error('the cluster has two API instances');
    // Microsoft throttles the next directory searches for two seconds: the instances wait that out
    // and ask again, so these requests are in flight on both instances when the signal comes.
    const slowCount = 6;
    faults.inject({
      method: 'GET',
      pathPattern: /\/groups$/,
      status: 429,
      retryAfterSeconds: 2,
      times: slowCount,
    });
    const slow = Array.from({ length: slowCount }, () =>
      call<{ groups: unknown[] }>('/portal/api/directory/groups?search=Sales', { headers: asAdmin() }),
    );
    await vi.waitFor(() => expect(faults.pending()).toBe(0), { timeout: 60_000, interval: 20 });

    let exitCode: number | null | undefined;
    const exited = leaving.terminate().then((code) => {
      exitCode = code;
    });
    // While it drains and after it has gone, requests keep coming through nginx (bounded in count).
    const meanwhile: Answer<unknown>[] = [];
    for (let round = 0; round < 2000 && exitCode === undefined; round++) {
      meanwhile.push(await call('/api/targets', { headers: asAnna() }));
    }
    await exited;
    const after = await Promise.all([1, 2, 3, 4].map(() => call('/api/targets', { headers: asAnna() })));

    expect(exitCode).toBe(0);
    const answered = await Promise.all(slow);
    expect(answered.map((answer) => answer.status)).toEqual(Array(slowCount).fill(200));
    expect(answered.map((answer) => answer.upstream)).toContain(`127.0.0.1:${leaving.port}`);
    expect(meanwhile.length).toBeGreaterThan(0);
    for (const answer of [...meanwhile, ...after]) expect(answer.status).toBe(200);
    // nginx may try the gone instance first and then the other: the last address is the one that answered.
    for (const answer of after) expect(answer.upstream.split(', ').at(-1)).toBe(`127.0.0.1:${staying.port}`);
  });
});
