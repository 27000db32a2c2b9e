import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH } from '../connectors/sharepoint/safe-file-name.js';
import { DEMO_SECOND_USER_UPN, SECOND_TENANT_USER_UPN } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';
import {
  accessTokenFor,
  apiClient,
  demoTenantId,
  findMail,
  folderChildren,
  HOSTILE_MAIL_SUBJECT,
  seedTargets,
  waitForTransfer,
  writeHostileMail,
} from './transfer-test-helpers.js';

interface ErrorBody {
  error: { code: string; message: string; administrators?: { displayName: string; email: string }[] };
}

let server: TestServer;
let importDir: string;
let api: ReturnType<typeof apiClient>;
let anna: string;
let targets: { contracts: string; alpha: string };

async function transferJobCount(): Promise<number> {
  const result = await server.database.db.query<{ n: number }>(
    `select count(*)::int as n from pgboss.job where name = 'transfer'`,
  );
  return result.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  importDir = await mkdtemp(path.join(tmpdir(), 'mailissa-import-'));
  await writeHostileMail(importDir);
  server = await startTestServer({ env: { EMULATOR_IMPORT_DIR: importDir } });
  api = apiClient(server);
  targets = await seedTargets(server);
  // Anna signs in first, so she is the tenant's user administrator.
  anna = await accessTokenFor(
    server,
    server.app.emulator.ids.demoTenantId,
    server.app.emulator.ids.demoUserUpn,
  );
});

afterAll(async () => {
  await server?.close();
  await rm(importDir, { recursive: true, force: true });
});

describe('transfers through the add-in API, against the emulator', () => {
  it('lists the enabled targets of the tenant', async () => {
    const { status, body } = await api<{ targets: unknown[] }>(anna, 'GET', '/api/targets');
    expect(status).toBe(200);
    expect(body.targets).toEqual([
      expect.objectContaining({
        id: targets.contracts,
        title: 'Contracts 2026',
        category: 'Contracts',
        categoryColor: 'preset7',
        connectorType: 'sharepoint',
      }),
      expect.objectContaining({
        id: targets.alpha,
        title: 'Project Alpha',
        category: 'Projects',
        connectorType: 'sharepoint',
      }),
    ]);
  });

  it('writes the mail and its attachments into the folder and lists the transfer for the mail', async () => {
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.contracts,
    });
    expect(created.status).toBe(202);
    // The connector type tells the add-in what the link opens ("Open folder", "Open issue", …).
    // Accepted, not finished; on PostgreSQL a worker may already have picked it up.
    expect(created.body.transfer).toMatchObject({
      state: expect.stringMatching(/^(queued|running)$/),
      target: { title: 'Contracts 2026', connectorType: 'sharepoint' },
    });
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    expect(done.folderUrl).toMatch(/Contracts%202026$/);
    expect(done.createdBy).toMatchObject({ isYou: true });
    expect(done.files.map((f) => f.name)).toEqual([
      '2026-11-06 1505 Offer 2026-117 for Northwind with price list.eml',
      'Offer-2026-117.pdf',
      'price-list.csv',
      'call-notes.txt',
    ]);
    const inFolder = await folderChildren(server, 'Contracts 2026');
    for (const file of done.files) expect(inFolder).toContainEqual({ name: file.name, size: file.size });

    const history = await api<{ transfers: Transfer[] }>(
      anna,
      'GET',
      `/api/transfers?internetMessageId=${encodeURIComponent(mail.internetMessageId)}`,
    );
    expect(history.body.transfers.map((t) => t.id)).toEqual([done.id]);

    // The same mail again: numbered copies, never an overwrite.
    const again = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.contracts,
    });
    const second = await waitForTransfer(server, anna, again.body.transfer.id);
    expect(second.files.map((f) => f.name)).toContain('Offer-2026-117 (2).pdf');
    const newest = await api<{ transfers: Transfer[] }>(
      anna,
      'GET',
      `/api/transfers?internetMessageId=${encodeURIComponent(mail.internetMessageId)}`,
    );
    expect(newest.body.transfers.map((t) => t.id)).toEqual([second.id, done.id]);
  });

  it('lands hostile attachment names as safe names', async () => {
    const mail = await findMail(server, HOSTILE_MAIL_SUBJECT);
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.alpha,
    });
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.state).toBe('done');
    const names = done.files.map((f) => f.name).slice(1);
    expect(names).toHaveLength(4);
    expect(names[0]).toBe('_._etc_passwd');
    expect(names[1]).toBe('_CON.txt');
    expect(names[2]?.endsWith('.pdf')).toBe(true);
    expect(names[3]).toBe('invoicefdp.exe');
    for (const name of names) {
      expect(name).not.toMatch(/["*:<>?/\\|\u202e]/);
      expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(`Projects/Alpha/${name}`.length).toBeLessThan(400);
    }
    const inFolder = (await folderChildren(server, 'Projects/Alpha')).map((f) => f.name);
    for (const name of names) expect(inFolder).toContain(name);
  });

  it('retries a target answering 429 only after its Retry-After', async () => {
    const mail = await findMail(server, 'Lunch on Thursday?');
    server.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: /\/content$/,
      status: 429,
      retryAfterSeconds: 2,
      times: 1,
    });
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.alpha,
    });
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.state).toBe('done');
    expect(server.app.emulator.faults.pending()).toBe(0);
    const timing = await server.database.db.query<{ ms: number }>(
      `select extract(epoch from (finished_at - started_at)) * 1000 as ms from transfers where id = $1`,
      [done.id],
    );
    expect(Number(timing.rows[0]?.ms)).toBeGreaterThanOrEqual(2000);
  });

  it('fails with a readable reason when the target library is gone', async () => {
    const mail = await findMail(server, 'Lunch on Thursday?');
    server.app.emulator.faults.inject({ method: 'GET', pathPattern: /\/drives\//, status: 404, times: 50 });
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.alpha,
    });
    const failed = await waitForTransfer(server, anna, created.body.transfer.id);
    server.app.emulator.faults.clear();
    expect(failed.state).toBe('failed');
    expect(failed.failureReason).toMatch(/not found/);
    expect(failed.files).toEqual([]);
  });

  it('refuses a mail of another user, a target of another tenant and a disabled target, queueing nothing', async () => {
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const jonas = await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    const fabrikam = await accessTokenFor(
      server,
      server.app.emulator.ids.secondTenantId,
      SECOND_TENANT_USER_UPN,
    );
    const jobsBefore = await transferJobCount();
    const transfersBefore = (await server.database.db.query('select id from transfers')).rowCount;

    const body = {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.contracts,
    };
    const otherMailbox = await api<ErrorBody>(jonas, 'POST', '/api/transfers', body);
    expect(otherMailbox.status).toBe(404);
    expect(otherMailbox.body.error.code).toBe('message_not_found');

    const madeUp = await api<ErrorBody>(anna, 'POST', '/api/transfers', {
      ...body,
      messageId: 'AAMkADoesNotExist',
    });
    expect(madeUp.status).toBe(404);

    const otherTenant = await api<ErrorBody>(fabrikam, 'POST', '/api/transfers', body);
    expect(otherTenant.status).toBe(404);
    expect(otherTenant.body.error.code).toBe('target_not_found');

    await server.database.db.query('update targets set enabled = false where id = $1', [targets.contracts]);
    // Written behind the portal's back: tell the cache, as the portal's routes do (decision 018).
    server.app.appContext.tenantConfig.invalidate(await demoTenantId(server));
    try {
      const disabled = await api<ErrorBody>(anna, 'POST', '/api/transfers', body);
      expect(disabled.status).toBe(409);
      expect(disabled.body.error.code).toBe('target_disabled');
      const listed = await api<{ targets: { id: string }[] }>(anna, 'GET', '/api/targets');
      expect(listed.body.targets.map((t) => t.id)).toEqual([targets.alpha]);
    } finally {
      await server.database.db.query('update targets set enabled = true where id = $1', [targets.contracts]);
      server.app.appContext.tenantConfig.invalidate(await demoTenantId(server));
    }

    const invalid = await api<ErrorBody>(anna, 'POST', '/api/transfers', { ...body, targetId: 'not-a-uuid' });
    expect(invalid.status).toBe(400);

    expect(await transferJobCount()).toBe(jobsBefore);
    expect((await server.database.db.query('select id from transfers')).rowCount).toBe(transfersBefore);

    // Another tenant cannot read a transfer either.
    const [someTransfer] = (
      await server.database.db.query<{ id: string }>('select id from transfers limit 1')
    ).rows;
    const foreign = await api<ErrorBody>(fabrikam, 'GET', `/api/transfers/${someTransfer?.id}`);
    expect(foreign.status).toBe(404);
  });

  it('answers 403 no_licence with the user administrators to ask', async () => {
    const jonas = await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    await server.database.db.query(
      `delete from licence_assignments where module = 'transfer'
          and user_id = (select id from users where email = $1)`,
      [DEMO_SECOND_USER_UPN],
    );
    const { status, body } = await api<ErrorBody>(jonas, 'GET', '/api/targets');
    expect(status).toBe(403);
    expect(body.error.code).toBe('no_licence');
    expect(body.error.administrators?.map((a) => a.email)).toEqual([server.app.emulator.ids.demoUserUpn]);
    const refused = await api<ErrorBody>(jonas, 'POST', '/api/transfers', {
      messageId: 'AAMk',
      internetMessageId: '<x@y>',
      targetId: targets.alpha,
    });
    expect(refused.status).toBe(403);
  });
});

describe('portal API for administrators', () => {
  async function portalCookie(email: string): Promise<string> {
    const tenantId = await demoTenantId(server);
    const user = await server.database.db.query<{ id: string; display_name: string }>(
      'select id, display_name from users where tenant_id = $1 and email = $2',
      [tenantId, email],
    );
    const row = user.rows[0];
    if (!row) throw new Error(`${email} has not signed in`);
    const session = await createWebSession(
      server.database.db,
      { app: 'portal', tenantId, userId: row.id, displayName: row.display_name },
      new Date(),
    );
    return `mailissa_portal=${session.token}`;
  }

  it("lists the tenant's users and recent transfers to an administrator only", async () => {
    await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    const admin = await portalCookie(server.app.emulator.ids.demoUserUpn);
    const users = await fetch(`${server.baseUrl}/portal/api/users`, { headers: { cookie: admin } });
    expect(users.status).toBe(200);
    const usersBody = (await users.json()) as {
      users: { email: string; roles: string[]; licences: string[]; firstSeenAt: string }[];
    };
    const anna = usersBody.users.find((u) => u.email === server.app.emulator.ids.demoUserUpn);
    expect(anna?.roles).toEqual(['user_administrator', 'tenant_administrator']);
    expect(anna?.licences).toContain('transfer');
    expect(usersBody.users.map((u) => u.email)).toContain(DEMO_SECOND_USER_UPN);

    const transfers = await fetch(`${server.baseUrl}/portal/api/transfers?days=7`, {
      headers: { cookie: admin },
    });
    expect(transfers.status).toBe(200);
    const transfersBody = (await transfers.json()) as { transfers: Transfer[] };
    expect(transfersBody.transfers.length).toBeGreaterThan(0);
    const times = transfersBody.transfers.map((t) => t.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const bad = await fetch(`${server.baseUrl}/portal/api/transfers?days=0`, { headers: { cookie: admin } });
    expect(bad.status).toBe(400);

    const member = await portalCookie(DEMO_SECOND_USER_UPN);
    for (const url of ['/portal/api/users', '/portal/api/transfers']) {
      const refused = await fetch(`${server.baseUrl}${url}`, { headers: { cookie: member } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as ErrorBody).error.code).toBe('administrators_only');
    }
    const anonymous = await fetch(`${server.baseUrl}/portal/api/users`);
    expect(anonymous.status).toBe(401);
  });

  it('documents every route in the OpenAPI document', async () => {
    const document = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const route of [
      '/api/targets',
      '/api/transfers',
      '/api/transfers/{id}',
      '/portal/api/users',
      '/portal/api/transfers',
    ]) {
      expect(Object.keys(document.paths)).toContain(route);
    }
  });
});
