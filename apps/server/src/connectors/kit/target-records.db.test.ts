import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/database.js';
import { JIRA_DEMO_ACCOUNTS } from '../../demo/emulators.js';
import { createTarget } from '../../targets/save-target.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  demoTenantId,
  findMail,
  seedTargets,
  waitForTransfer,
} from '../../transfer/transfer-test-helpers.js';
import { createWebSession } from '../../web-session/web-session.store.js';
import { saveConnectorCredential } from './connector-credentials.js';

/**
 * "Add to an existing record" through the product's API against the Jira stand-in in demo mode: the
 * add-in's search finds an issue by key and by words with the user's own Jira account, and a second
 * mail sent with `linkTo` becomes a comment (with its files) on that issue instead of a new issue.
 * Bad input is refused before anything is queued.
 */
interface ErrorBody {
  error: { code: string; message: string };
}
interface RecordsBody {
  records: { id: string; title: string; url: string | null }[];
}

const FIRST_MAIL = 'Offer 2026-117 for Northwind with price list';
const SECOND_MAIL = 'Customer visit from Northwind on 12 November';
const jiraAccount = JIRA_DEMO_ACCOUNTS.anna;

let server: TestServer;
let api: ReturnType<typeof apiClient>;
let anna: string;
let tenantId: string;
let jiraTarget: string;
let sharePointTarget: string;
let jiraSite: string;

async function jira<T>(path: string, json?: unknown): Promise<T> {
  const auth = Buffer.from(`${jiraAccount.emailAddress}:${jiraAccount.apiToken}`).toString('base64');
  const response = await fetch(`${jiraSite}/rest/api/3${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Basic ${auth}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function put(url: string, body: unknown) {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${anna}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.status;
}

async function transferCount(): Promise<number> {
  const rows = await withTenant(server.database.db, tenantId, (tx) =>
    tx.query('select 1 from transfers where tenant_id = $1', [tenantId]),
  );
  return rows.rowCount;
}

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server);
  anna = await accessTokenFor(
    server,
    server.app.emulator.ids.demoTenantId,
    server.app.emulator.ids.demoUserUpn,
  );
  tenantId = await demoTenantId(server);
  sharePointTarget = (await seedTargets(server)).contracts;
  jiraSite = `${server.baseUrl}/emulator/jira`;
  const target = await withTenant(server.database.db, tenantId, (tx) =>
    createTarget(
      tx,
      tenantId,
      { system: 'test' },
      {
        connectorType: 'jira',
        title: { en: 'Mail intake', de: 'Posteingang' },
        categoryId: null,
        settings: { siteUrl: jiraSite, projectKey: 'MAIL' },
        enabled: true,
      },
      server.app.appContext.checkTargetUrl,
    ),
  );
  jiraTarget = target.id;
  server.app.appContext.tenantConfig.invalidate(tenantId);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('adding a mail to an existing Jira issue from the add-in', () => {
  it('offers linking in the prepare step only for targets that can, and asks to connect before searching', async () => {
    const mail = await findMail(server, FIRST_MAIL);
    const query = (targetId: string) =>
      `/api/transfers/prepare?messageId=${encodeURIComponent(mail.id)}&internetMessageId=${encodeURIComponent(mail.internetMessageId)}&targetId=${targetId}`;
    expect((await api<{ linkExisting: boolean }>(anna, 'GET', query(jiraTarget))).body.linkExisting).toBe(
      true,
    );
    expect(
      (await api<{ linkExisting: boolean }>(anna, 'GET', query(sharePointTarget))).body.linkExisting,
    ).toBe(false);
    // An issue has no folders: the add-in offers no subfolder for it (it did, and dropped it).
    expect((await api<{ folders: boolean }>(anna, 'GET', query(jiraTarget))).body.folders).toBe(false);
    expect((await api<{ folders: boolean }>(anna, 'GET', query(sharePointTarget))).body.folders).toBe(true);

    const notConnected = await api<ErrorBody>(anna, 'GET', `/api/targets/${jiraTarget}/records?q=MAIL`);
    expect(notConnected.status).toBe(409);
    expect(notConnected.body.error.code).toBe('target_account_not_connected');
  });

  it('finds the issue a first mail created, by key and by words, and files a second mail on it as a comment', async () => {
    expect(
      await put(`/api/targets/${jiraTarget}/account`, {
        credential: { email: jiraAccount.emailAddress, apiToken: jiraAccount.apiToken },
      }),
    ).toBe(200);

    const first = await findMail(server, FIRST_MAIL);
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: first.id,
      internetMessageId: first.internetMessageId,
      targetId: jiraTarget,
    });
    expect(created.status).toBe(202);
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.failureReason).toBeNull();
    const key = done.folderUrl?.split('/browse/')[1] ?? '';
    expect(key).toMatch(/^MAIL-\d+$/);

    const byKey = await api<RecordsBody>(
      anna,
      'GET',
      `/api/targets/${jiraTarget}/records?q=${key.toLowerCase()}`,
    );
    expect(byKey.status).toBe(200);
    expect(byKey.body.records).toEqual([
      { id: key, title: `${key} ${FIRST_MAIL}`, url: `${jiraSite}/browse/${key}` },
    ]);
    const byWords = await api<RecordsBody>(
      anna,
      'GET',
      `/api/targets/${jiraTarget}/records?q=Northwind%20price`,
    );
    expect(byWords.body.records.map((record) => record.id)).toContain(key);

    const second = await findMail(server, SECOND_MAIL);
    const linked = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: second.id,
      internetMessageId: second.internetMessageId,
      targetId: jiraTarget,
      linkTo: key.toLowerCase(),
    });
    expect(linked.status).toBe(202);
    const linkedDone = await waitForTransfer(server, anna, linked.body.transfer.id);
    expect(linkedDone.failureReason).toBeNull();
    expect(linkedDone.state).toBe('done');
    expect(linkedDone.folderUrl).toBe(`${jiraSite}/browse/${key}`);

    // No second issue: the mail is a comment on the chosen one, its .eml attached there.
    const search = await jira<{ issues: { key: string; fields: { summary?: string } }[] }>('/search/jql', {
      jql: 'project = MAIL',
      maxResults: 100,
      fields: ['summary'],
    });
    expect(search.issues.map((found) => found.fields.summary)).toEqual([FIRST_MAIL]);
    const comments = await jira<{ comments: { body: unknown }[] }>(`/issue/${key}/comment`);
    expect(comments.comments).toHaveLength(1);
    expect(JSON.stringify(comments.comments[0]?.body)).toContain('Customer visit from Northwind');
    const issue = await jira<{ fields: { attachment: { filename: string }[] } }>(
      `/issue/${key}?fields=attachment`,
    );
    const names = issue.fields.attachment.map((file) => file.filename);
    for (const file of linkedDone.files) expect(names).toContain(file.name);
  });

  it('refuses bad keys, targets that cannot link and a subfolder for an issue with a 4xx naming the field, queuing nothing', async () => {
    const mail = await findMail(server, SECOND_MAIL);
    const before = await transferCount();
    const send = (targetId: string, linkTo: unknown) =>
      api<ErrorBody>(anna, 'POST', '/api/transfers', {
        messageId: mail.id,
        internetMessageId: mail.internetMessageId,
        targetId,
        linkTo,
      });

    const notAKey = await send(jiraTarget, 'not a key');
    expect(notAKey.status).toBe(400);
    expect(notAKey.body.error).toEqual({
      code: 'invalid_request',
      message: 'linkTo: "not a key" is not a Jira issue key like MAIL-12.',
    });
    const empty = await send(jiraTarget, '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/linkTo/);
    const tooLong = await send(jiraTarget, `MAIL-${'1'.repeat(80)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/linkTo/);
    const sharePoint = await send(sharePointTarget, 'MAIL-1');
    expect(sharePoint.status).toBe(400);
    expect(sharePoint.body.error.message).toBe(
      'linkTo: this target cannot add a mail to an existing record; leave linkTo out.',
    );
    const subfolder = await api<ErrorBody>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: jiraTarget,
      subfolder: 'Customers/Müller',
    });
    expect(subfolder.status).toBe(400);
    expect(subfolder.body.error).toEqual({
      code: 'invalid_subfolder',
      message: 'subfolder: this target has no folders to choose from; leave subfolder out.',
    });
    expect(await transferCount()).toBe(before);

    const noRecords = await api<ErrorBody>(anna, 'GET', `/api/targets/${sharePointTarget}/records?q=x`);
    expect(noRecords.status).toBe(409);
    expect(noRecords.body.error.code).toBe('records_not_supported');
    const longQuery = await api<ErrorBody>(
      anna,
      'GET',
      `/api/targets/${jiraTarget}/records?q=${'x'.repeat(201)}`,
    );
    expect(longQuery.status).toBe(400);
    expect(longQuery.body.error.message).toMatch(/q/);
  });

  it('leads back to connecting when Jira rejects the stored account during a search', async () => {
    // A token that Jira no longer accepts (revoked at Atlassian): stored as if it had worked.
    const owner = { tenantId, userId: '', targetId: jiraTarget };
    const users = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query<{ user_id: string }>('select user_id from credentials where target_id = $1', [jiraTarget]),
    );
    owner.userId = users.rows[0]?.user_id ?? '';
    await withTenant(server.database.db, tenantId, (tx) =>
      saveConnectorCredential(tx, server.app.appContext.credentials, owner, {
        email: jiraAccount.emailAddress,
        apiToken: 'revoked',
      }),
    );
    const rejected = await api<ErrorBody>(anna, 'GET', `/api/targets/${jiraTarget}/records?q=MAIL`);
    expect(rejected.status).toBe(409);
    expect(rejected.body.error.code).toBe('target_account_not_connected');
    const account = await api<{ connected: boolean }>(anna, 'GET', `/api/targets/${jiraTarget}/account`);
    expect(account.body.connected).toBe(false);
  });
});

describe('a field mapping set on the target in the portal', () => {
  async function portal<T>(method: 'GET' | 'PATCH', url: string, body?: unknown) {
    const user = await server.database.db.query<{ id: string; display_name: string }>(
      'select id, display_name from users where tenant_id = $1 and email = $2',
      [tenantId, server.app.emulator.ids.demoUserUpn],
    );
    const row = user.rows[0];
    if (!row) throw new Error('Anna has not signed in');
    const session = await createWebSession(
      server.database.db,
      { app: 'portal', tenantId, userId: row.id, displayName: row.display_name },
      new Date(),
    );
    const response = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: {
        cookie: `mailissa_portal=${session.token}`,
        'x-requested-with': 'mailissa',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  it('is described for the portal, refused naming the bad row, and applied to the next issue', async () => {
    const described = await portal<{
      connectors: { type: string; fields: { key: string; kind: string; sources?: { key: string }[] }[] }[];
    }>('GET', '/portal/api/connectors');
    for (const type of ['jira', 'domino']) {
      const mapping = described.body.connectors
        .find((connector) => connector.type === type)
        ?.fields.find((field) => field.kind === 'field_mapping');
      expect(mapping?.key).toBe('fieldMapping');
      expect(mapping?.sources?.map((source) => source.key)).toEqual([
        'subject',
        'from',
        'date',
        'category',
        'body',
      ]);
    }

    const base = { siteUrl: jiraSite, projectKey: 'MAIL' };
    const bad = await portal<ErrorBody>('PATCH', `/portal/api/targets/${jiraTarget}`, {
      settings: { ...base, fieldMapping: [{ field: 'Sender', source: 'from' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'settings.fieldMapping.0.field: is not a Jira custom field id (customfield_12345)',
    );
    const badSource = await portal<ErrorBody>('PATCH', `/portal/api/targets/${jiraTarget}`, {
      settings: { ...base, fieldMapping: [{ field: 'customfield_10040', source: 'body text' }] },
    });
    expect(badSource.status).toBe(400);
    expect(badSource.body.error.message).toMatch(/^settings\.fieldMapping\.0\.source: /);
    const saved = await portal<{ target: { settings: Record<string, unknown> } }>(
      'PATCH',
      `/portal/api/targets/${jiraTarget}`,
      {
        settings: {
          ...base,
          fieldMapping: [
            { field: 'customfield_10040', source: 'from' },
            { field: 'customfield_10041', source: 'date' },
          ],
        },
      },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.target.settings.fieldMapping).toHaveLength(2);

    expect(
      await put(`/api/targets/${jiraTarget}/account`, {
        credential: { email: jiraAccount.emailAddress, apiToken: jiraAccount.apiToken },
      }),
    ).toBe(200);
    const mail = await findMail(server, 'Lunch on Thursday?');
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: jiraTarget,
    });
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.failureReason).toBeNull();
    const key = done.folderUrl?.split('/browse/')[1] ?? '';
    const issue = await jira<{ fields: Record<string, unknown> }>(
      `/issue/${key}?fields=summary,customfield_10040,customfield_10041`,
    );
    expect(issue.fields.summary).toBe('Lunch on Thursday?');
    expect(String(issue.fields.customfield_10040)).toMatch(/<[^@\s]+@[^>\s]+>$|^[^@\s]+@[^\s]+$/);
    expect(String(issue.fields.customfield_10041)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});
