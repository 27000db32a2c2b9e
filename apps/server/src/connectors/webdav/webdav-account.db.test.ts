import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/database.js';
import { createTarget } from '../../targets/save-target.js';
import { type ApacheWebDav, startApacheWebDav } from '../../test-support/apache-webdav.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  demoTenantId,
  findMail,
  waitForTransfer,
} from '../../transfer/transfer-test-helpers.js';
import { createConnectorNetwork } from '../kit/guarded-fetch.js';

interface ErrorBody {
  error: { code: string; message: string };
}

let apache: ApacheWebDav;
let server: TestServer;
let api: ReturnType<typeof apiClient>;
let anna: string;
let tenantId: string;
let targetId: string;

async function call<T>(method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${anna}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
}

beforeAll(async () => {
  apache = await startApacheWebDav();
  // Demo mode's allow-list names the Apache server on loopback, as it names the emulators.
  server = await startTestServer({ env: { CONNECTOR_ALLOWED_ORIGINS: apache.origin } });
  api = apiClient(server);
  anna = await accessTokenFor(
    server,
    server.app.emulator.ids.demoTenantId,
    server.app.emulator.ids.demoUserUpn,
  );
  tenantId = await demoTenantId(server);
  const target = await withTenant(server.database.db, tenantId, (tx) =>
    createTarget(
      tx,
      tenantId,
      { system: 'test' },
      {
        connectorType: 'webdav',
        title: { en: 'Nextcloud', de: 'Nextcloud' },
        categoryId: null,
        settings: { url: apache.davUrl, folderPath: 'Mail' },
        enabled: true,
      },
      server.app.appContext.checkTargetUrl,
    ),
  );
  targetId = target.id;
  server.app.appContext.tenantConfig.invalidate(tenantId);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await apache?.stop();
});

describe("a user's own WebDAV account, connected in the add-in", () => {
  it('asks to connect first: the account is not connected and a transfer is refused with 409', async () => {
    const account = await call<{
      required: boolean;
      connected: boolean;
      system: string;
      fields: { key: string }[];
    }>('GET', `/api/targets/${targetId}/account?lang=de`);
    expect(account.body).toMatchObject({ required: true, connected: false });
    expect(account.body.system).toContain('WebDAV');
    expect(account.body.fields.map((field) => field.key)).toEqual(['username', 'password']);
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const refused = await api<ErrorBody>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('target_account_not_connected');
  });

  it('tests the credentials before saving: a wrong password is refused and nothing is stored', async () => {
    const wrong = await call<ErrorBody>('PUT', `/api/targets/${targetId}/account`, {
      credential: { username: apache.username, password: 'wrong' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toEqual({
      code: 'credential_test_failed',
      message: 'The user name or password was rejected.',
    });
    const missing = await call<ErrorBody>('PUT', `/api/targets/${targetId}/account`, {
      credential: { username: apache.username },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('credential.password: is required');
    const stored = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query('select 1 from credentials where target_id = $1', [targetId]),
    );
    expect(stored.rowCount).toBe(0);
  });

  it('stores the tested credentials sealed, then files a mail into Apache, byte-identical', async () => {
    const ok = await call<{ connected: boolean }>('PUT', `/api/targets/${targetId}/account`, {
      credential: { username: apache.username, password: apache.password },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.connected).toBe(true);
    const sealed = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query<{ sealed: Uint8Array }>('select sealed from credentials where target_id = $1', [targetId]),
    );
    expect(Buffer.from(sealed.rows[0]?.sealed ?? []).includes(Buffer.from('wonder land'))).toBe(false);
    expect(
      (await call<{ connected: boolean }>('GET', `/api/targets/${targetId}/account`)).body.connected,
    ).toBe(true);

    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId,
    });
    expect(created.status).toBe(202);
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    const folder = join(apache.root, 'Mail');
    expect(readdirSync(folder).sort()).toEqual(done.files.map((file) => file.name).sort());
    for (const file of done.files) expect(readFileSync(join(folder, file.name)).byteLength).toBe(file.size);
    const attachment = readFileSync(join(folder, 'price-list.csv'), 'utf8');
    expect(attachment.length).toBeGreaterThan(0);
  });

  it('leads back to connecting when the system rejects the account later (password changed)', async () => {
    execFileSync('htpasswd', ['-bB', join(apache.root, '..', '..', 'htpasswd'), apache.username, 'changed']);
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId,
    });
    const failed = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(failed.state).toBe('failed');
    expect(failed.failureReason).toMatch(/Connect it again in the add-in/);
    expect(
      (await call<{ connected: boolean }>('GET', `/api/targets/${targetId}/account`)).body.connected,
    ).toBe(false);
  });

  it('lets the user disconnect their account', async () => {
    execFileSync('htpasswd', [
      '-bB',
      join(apache.root, '..', '..', 'htpasswd'),
      apache.username,
      apache.password,
    ]);
    await call('PUT', `/api/targets/${targetId}/account`, {
      credential: { username: apache.username, password: apache.password },
    });
    expect((await call('DELETE', `/api/targets/${targetId}/account`)).status).toBe(204);
    expect(
      (await call<{ connected: boolean }>('GET', `/api/targets/${targetId}/account`)).body.connected,
    ).toBe(false);
  });

  it('refuses to save a target at a metadata or loopback address in production (no allow-list)', async () => {
    const production = createConnectorNetwork({ allowedOrigins: [] });
    for (const url of ['http://169.254.169.254/', 'http://127.0.0.1:22/', apache.davUrl]) {
      await expect(
        withTenant(server.database.db, tenantId, (tx) =>
          createTarget(
            tx,
            tenantId,
            { system: 'test' },
            {
              connectorType: 'webdav',
              title: { en: `Refused ${url}`, de: `Abgelehnt ${url}` },
              categoryId: null,
              settings: { url, folderPath: '' },
              enabled: true,
            },
            production.checkUrl,
          ),
        ),
      ).rejects.toMatchObject({ status: 400, code: 'target_address_refused' });
    }
    const saved = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query(`select 1 from targets where title_en like 'Refused%'`),
    );
    expect(saved.rowCount).toBe(0);
  });
});
