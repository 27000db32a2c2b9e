import type { AdminTarget, Bootstrap, Category, StoredCredential } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCredential } from '../credentials/credential-store.js';
import { withTenant } from '../db/database.js';
import { DEMO_DRIVE_ID, DEMO_GROUP_IDS, DEMO_SITE_ID, DEMO_TENANT_ID } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { accessTokenFor, apiClient, demoTenantId, findMail } from '../transfer/transfer-test-helpers.js';
import { createWebSession } from '../web-session/web-session.store.js';

const ELIAS = 'elias.zimmermann@contoso.example'; // Platform Team ⊂ Engineering ⊂ All Staff
const JONAS = 'jonas.weber@contoso.example'; // Sales only

let server: TestServer;
let tenantId: string;
let admin: string;
let tokens: Record<'anna' | 'elias' | 'jonas', string>;

async function portalCookie(email: string): Promise<string> {
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

async function portal<T>(
  cookie: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      cookie,
      'x-requested-with': 'mailissa',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function bootstrapOf(token: string, lang: 'en' | 'de' = 'en'): Promise<Bootstrap> {
  const response = await fetch(`${server.baseUrl}/api/bootstrap?lang=${lang}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Bootstrap;
}

const titlesIn = (bootstrap: Bootstrap) => bootstrap.groups.flatMap((g) => g.targets.map((t) => t.title));

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.app.emulator.ids.demoTenantId;
  tokens = {
    anna: await accessTokenFor(server, demo, server.app.emulator.ids.demoUserUpn),
    elias: await accessTokenFor(server, demo, ELIAS),
    jonas: await accessTokenFor(server, demo, JONAS),
  };
  tenantId = await demoTenantId(server);
  admin = await portalCookie(server.app.emulator.ids.demoUserUpn);
});

afterAll(async () => {
  await server?.close();
});

describe('targets, categories and visibility in the portal', () => {
  let category: Category;
  let target: AdminTarget;

  it('describes the connectors with their settings fields', async () => {
    const { status, body } = await portal<{
      connectors: {
        type: string;
        credentialKind: string;
        capabilities: string[];
        fields: { key: string; kind: string }[];
      }[];
    }>(admin, 'GET', '/portal/api/connectors');
    expect(status).toBe(200);
    expect(body.connectors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'sharepoint',
          credentialKind: 'none',
          capabilities: ['write_files', 'field_mapping'],
          fields: [
            expect.objectContaining({ key: 'driveId', kind: 'sharepoint_drive' }),
            expect.objectContaining({ key: 'folderPath', kind: 'sharepoint_folder' }),
          ],
        }),
      ]),
    );
    expect(body.connectors.map((connector) => connector.type)).toEqual(
      expect.arrayContaining([
        'sharepoint',
        'onedrive',
        'webdav',
        'jira',
        'trello',
        'domino',
        'webhook',
        'email',
      ]),
    );
    expect(body.connectors).toContainEqual(
      expect.objectContaining({
        type: 'webhook',
        credentialKind: 'tenant',
        generatesSecret: true,
        fields: [
          expect.objectContaining({ key: 'url', kind: 'url', required: true }),
          expect.objectContaining({ key: 'linkMinutes', kind: 'text', required: false }),
        ],
      }),
    );
    expect(body.connectors).toContainEqual(
      expect.objectContaining({
        type: 'email',
        credentialKind: 'none',
        generatesSecret: false,
        fields: [
          expect.objectContaining({ key: 'to', kind: 'email', required: true }),
          expect.objectContaining({ key: 'subjectPrefix', kind: 'text', required: false }),
        ],
      }),
    );
    expect(body.connectors).toContainEqual(
      expect.objectContaining({
        type: 'teams_channel',
        fields: [
          expect.objectContaining({ key: 'teamId', kind: 'teams_team' }),
          expect.objectContaining({ key: 'channelId', kind: 'teams_channel' }),
        ],
      }),
    );
  });

  it('browses sites, libraries and folders through Graph', async () => {
    const sites = await portal<{ sites: { id: string }[] }>(
      admin,
      'GET',
      '/portal/api/sharepoint/sites?search=team',
    );
    expect(sites.body.sites.map((s) => s.id)).toEqual([DEMO_SITE_ID]);
    const drives = await portal<{ drives: { id: string; name: string }[] }>(
      admin,
      'GET',
      `/portal/api/sharepoint/sites/${encodeURIComponent(DEMO_SITE_ID)}/drives`,
    );
    expect(drives.body.drives).toEqual([expect.objectContaining({ id: DEMO_DRIVE_ID, name: 'Documents' })]);
    const folders = await portal<{ folders: { path: string }[] }>(
      admin,
      'GET',
      `/portal/api/sharepoint/folders?driveId=${encodeURIComponent(DEMO_DRIVE_ID)}&path=Projects`,
    );
    expect(folders.body.folders.map((f) => f.path)).toEqual(['Projects/Alpha', 'Projects/Beta']);
  });

  it('tests the connection by writing (and removing) a probe file', async () => {
    const ok = await portal<{ ok: boolean; message: string }>(
      admin,
      'POST',
      '/portal/api/connectors/sharepoint/test',
      {
        settings: { driveId: DEMO_DRIVE_ID, folderPath: 'Projects/Beta' },
      },
    );
    expect(ok.body.ok).toBe(true);
    const folders = await portal<{ folders: unknown[] }>(
      admin,
      'GET',
      `/portal/api/sharepoint/folders?driveId=${encodeURIComponent(DEMO_DRIVE_ID)}&path=Projects/Beta`,
    );
    expect(folders.body.folders).toEqual([]);
    const missing = await portal<{ ok: boolean }>(admin, 'POST', '/portal/api/connectors/sharepoint/test', {
      settings: { driveId: 'b!doesnotexist', folderPath: '' },
    });
    expect(missing.body.ok).toBe(false);
    const bad = await portal<{ error: { code: string; message: string } }>(
      admin,
      'POST',
      '/portal/api/connectors/sharepoint/test',
      { settings: { driveId: 'not a drive id' } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'invalid_settings',
      message: expect.stringContaining('driveId'),
    });
  });

  it('creates a category and a target in it, and audits both', async () => {
    const created = await portal<{ category: Category }>(admin, 'POST', '/portal/api/categories', {
      module: 'transfer',
      name: { en: 'Engineering', de: 'Technik' },
      color: 'preset9',
    });
    expect(created.status).toBe(201);
    category = created.body.category;
    const badColour = await portal<{ error: { message: string } }>(admin, 'POST', '/portal/api/categories', {
      module: 'transfer',
      name: { en: 'X', de: 'X' },
      color: 'preset25',
    });
    expect(badColour.status).toBe(400);
    expect(badColour.body.error.message).toMatch(/color/);

    const made = await portal<{ target: AdminTarget }>(admin, 'POST', '/portal/api/targets', {
      connectorType: 'sharepoint',
      title: { en: 'Specs', de: 'Spezifikationen' },
      categoryId: category.id,
      settings: { driveId: DEMO_DRIVE_ID, folderPath: 'Projects/Beta' },
    });
    expect(made.status).toBe(201);
    target = made.body.target;
    expect(target).toMatchObject({ enabled: true, visibility: { everyone: true, entries: [] } });
    const audit = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query<{ action: string }>(
        'select action from audit_events where tenant_id = $1 order by occurred_at',
        [tenantId],
      ),
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['category.created', 'target.created']);
  });

  it('shows the target to everyone in their language until it is restricted', async () => {
    expect(titlesIn(await bootstrapOf(tokens.jonas))).toContain('Specs');
    const german = await bootstrapOf(tokens.elias, 'de');
    const group = german.groups.find((g) => g.category?.id === category.id);
    expect(group?.category).toEqual({ id: category.id, name: 'Technik', color: 'preset9' });
    expect(group?.targets.map((t) => t.title)).toEqual(['Spezifikationen']);
  });

  it("pages through the directory only by Graph's own next links", async () => {
    type Search = {
      results: { id: string }[];
      next: string | null;
      error?: { code: string; message: string };
    };
    const search = (query: string) =>
      portal<Search>(admin, 'GET', `/portal/api/directory/search?kind=groups&${query}`);
    const first = await search('q=');
    expect(first.status).toBe(200);
    const collection = `${server.config.graphBaseUrl}/groups`;
    // A continuation of this very search goes to Graph as it is.
    const ours = `${collection}?$select=id,displayName,description,mail&$top=1&$count=true&$orderby=displayName`;
    const followed = await search(`page=${encodeURIComponent(ours)}`);
    expect(followed.status).toBe(200);
    expect(followed.body.results).toHaveLength(1);
    // Anything else is refused before Graph sees it, or when Graph refuses it: never a 5xx.
    for (const page of [
      `${server.config.graphBaseUrl}/users?$top=1`,
      `${collection}?$filter=startswith(displayName,'a')`,
      `${collection}?$top=1&$top=2`,
      `${collection}?$top[a]=1`,
      `${collection}?$top=abc`,
      `${collection}/../users?$top=1`,
    ]) {
      const refused = await search(`page=${encodeURIComponent(page)}`);
      expect(refused.status, page).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'invalid_request',
        message: expect.stringMatching(/^page:/),
      });
    }
  });

  it('restricts it to a group: a member of a nested subgroup sees it, others get 404', async () => {
    const search = await portal<{ results: { id: string; displayName: string }[]; count: number | null }>(
      admin,
      'GET',
      '/portal/api/directory/search?kind=groups&q=engin',
    );
    expect(search.body.results).toEqual([expect.objectContaining({ id: DEMO_GROUP_IDS.engineering })]);
    const restricted = await portal<{ target: AdminTarget }>(
      admin,
      'PUT',
      `/portal/api/targets/${target.id}/visibility`,
      {
        everyone: false,
        // A directory name with a right-to-left override and a zero-width space is kept without them.
        entries: [{ type: 'group', id: DEMO_GROUP_IDS.engineering, displayName: 'Engi\u202Eneering\u200B' }],
      },
    );
    expect(restricted.status).toBe(200);
    expect(restricted.body.target.visibility.entries).toEqual([
      { type: 'group', id: DEMO_GROUP_IDS.engineering, displayName: 'Engineering' },
    ]);

    expect(titlesIn(await bootstrapOf(tokens.elias))).toContain('Specs');
    expect(titlesIn(await bootstrapOf(tokens.jonas))).not.toContain('Specs');
    const api = apiClient(server);
    const listed = await api<{ targets: { id: string }[] }>(tokens.jonas, 'GET', '/api/targets');
    expect(listed.body.targets.map((t) => t.id)).not.toContain(target.id);

    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const refused = await api<{ error: { code: string } }>(tokens.jonas, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: target.id,
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('target_not_found');
  });

  it('lets a user administrator choose who sees it but not create targets', async () => {
    await server.database.db.query(
      `update users set is_user_admin = true, is_tenant_admin = false where tenant_id = $1 and email = $2`,
      [tenantId, JONAS],
    );
    const jonasCookie = await portalCookie(JONAS);
    const create = await portal<{ error: { code: string } }>(jonasCookie, 'POST', '/portal/api/targets', {
      connectorType: 'sharepoint',
      title: { en: 'Nope', de: 'Nein' },
      categoryId: null,
      settings: { driveId: DEMO_DRIVE_ID },
    });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('tenant_administrator_required');
    const opened = await portal<{ target: AdminTarget }>(
      jonasCookie,
      'PUT',
      `/portal/api/targets/${target.id}/visibility`,
      {
        everyone: true,
        entries: [],
      },
    );
    expect(opened.status).toBe(200);
    // Takes effect with the very next request.
    expect(titlesIn(await bootstrapOf(tokens.jonas))).toContain('Specs');
  });

  it('disables and deletes a target but keeps its transfer history', async () => {
    const disabled = await portal<{ target: AdminTarget }>(
      admin,
      'PATCH',
      `/portal/api/targets/${target.id}`,
      {
        enabled: false,
      },
    );
    expect(disabled.body.target.enabled).toBe(false);
    expect(titlesIn(await bootstrapOf(tokens.anna))).not.toContain('Specs');
    await server.database.db.query(
      `insert into transfers (tenant_id, target_id, mailbox_object_id, message_id, internet_message_id, state)
       values ($1, $2, gen_random_uuid(), 'AAMk', '<kept@x>', 'done')`,
      [tenantId, target.id],
    );
    const deleted = await portal(admin, 'DELETE', `/portal/api/targets/${target.id}`);
    expect(deleted.status).toBe(204);
    const list = await portal<{ targets: AdminTarget[] }>(admin, 'GET', '/portal/api/targets');
    expect(list.body.targets.map((t) => t.id)).not.toContain(target.id);
    const history = await fetch(
      `${server.baseUrl}/api/transfers?internetMessageId=${encodeURIComponent('<kept@x>')}`,
      {
        headers: { authorization: `Bearer ${tokens.anna}` },
      },
    );
    const transfers = (await history.json()) as { transfers: { target: { title: string } }[] };
    expect(transfers.transfers.map((t) => t.target.title)).toEqual(['Specs']);
  });

  it('reorders and deletes categories', async () => {
    const second = await portal<{ category: Category }>(admin, 'POST', '/portal/api/categories', {
      module: 'transfer',
      name: { en: 'Aaa', de: 'Aaa' },
      color: 'preset0',
    });
    const all = await portal<{ categories: Category[] }>(admin, 'GET', '/portal/api/categories');
    const ids = all.body.categories.filter((c) => c.module === 'transfer').map((c) => c.id);
    const reversed = [...ids].reverse();
    const reordered = await portal<{ categories: Category[] }>(admin, 'PUT', '/portal/api/categories/order', {
      module: 'transfer',
      ids: reversed,
    });
    expect(reordered.body.categories.filter((c) => c.module === 'transfer').map((c) => c.id)).toEqual(
      reversed,
    );
    const incomplete = await portal(admin, 'PUT', '/portal/api/categories/order', {
      module: 'transfer',
      ids: [ids[0]],
    });
    expect(incomplete.status).toBe(400);
    expect((await portal(admin, 'DELETE', `/portal/api/categories/${second.body.category.id}`)).status).toBe(
      204,
    );
  });

  it('lists stored credentials without their secret and revokes them', async () => {
    const list = await portal<{ targets: AdminTarget[] }>(admin, 'GET', '/portal/api/targets');
    const someTarget = list.body.targets[0];
    const users = await server.database.db.query<{ id: string }>(
      'select id from users where tenant_id = $1 and email = $2',
      [tenantId, ELIAS],
    );
    const eliasId = users.rows[0]?.id ?? '';
    await withTenant(server.database.db, tenantId, (tx) =>
      storeCredential(
        tx,
        server.app.appContext.credentials,
        { tenantId, userId: eliasId, targetId: someTarget?.id ?? '' },
        'hunter2-secret',
      ),
    );
    const stored = await fetch(`${server.baseUrl}/portal/api/credentials`, { headers: { cookie: admin } });
    const text = await stored.text();
    expect(text).not.toContain('hunter2');
    const body = JSON.parse(text) as { credentials: StoredCredential[] };
    expect(body.credentials).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ email: ELIAS }), lastUsedAt: null }),
    ]);
    const revoked = await portal<{ revoked: number }>(
      admin,
      'DELETE',
      `/portal/api/users/${eliasId}/credentials`,
    );
    expect(revoked.body.revoked).toBe(1);
    const after = await portal<{ credentials: unknown[] }>(admin, 'GET', '/portal/api/credentials');
    expect(after.body.credentials).toEqual([]);
  });

  it('documents every new route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/bootstrap',
      '/portal/api/targets',
      '/portal/api/targets/{id}/visibility',
      '/portal/api/categories/order',
      '/portal/api/directory/search',
      '/portal/api/sharepoint/sites',
      '/portal/api/credentials',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(DEMO_TENANT_ID).toBe(server.app.emulator.ids.demoTenantId);
  });
});
