import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentialKeyring } from '../../credentials/credential-keyring.js';
import { withTenant } from '../../db/database.js';
import { DEMO_SECOND_USER_UPN, demoFixture, signInWithEmulator } from '../../demo/emulators.js';
import { createDelegatedAccess } from '../../graph/delegated-access.js';
import { readDelegatedGrant, storeDelegatedGrant } from '../../graph/delegated-grant-store.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  demoGraph,
  demoTenantId,
  findMail,
  type MailRef,
  seedTargets,
  waitForTransfer,
} from '../../transfer/transfer-test-helpers.js';
import { createWebSession } from '../../web-session/web-session.store.js';

/**
 * One transfer each to OneDrive, a Teams channel, a Planner plan and a To Do list, as the user
 * (on-behalf-of), read back through the emulator's Graph over HTTP. Jonas is a member of Sales (its
 * team and plan), Anna is not: for her Microsoft refuses, and the transfer says so.
 */

const OFFER = 'Offer 2026-117 for Northwind with price list';
const OFFER_FILES = [
  '2026-11-06 1505 Offer 2026-117 for Northwind with price list.eml',
  'Offer-2026-117.pdf',
  'price-list.csv',
  'call-notes.txt',
];

let server: TestServer;
let api: ReturnType<typeof apiClient>;
let anna: string;
let jonas: string;
let annaOid: string;
let jonasOid: string;
/** Jonas's and Anna's own Graph tokens, to read back what only they can see (channel messages, To Do). */
let jonasGraph: string;
let annaGraph: string;
const targets: Record<'onedrive' | 'teams' | 'planner' | 'todo', string> = {
  onedrive: '',
  teams: '',
  planner: '',
  todo: '',
};

async function addTarget(tenantId: string, type: string, title: string, settings: object): Promise<string> {
  const inserted = await server.database.db.query<{ id: string }>(
    `insert into targets (tenant_id, connector_type, category_id, title_en, title_de, settings)
     values ($1, $2, (select id from categories where tenant_id = $1 and module = 'transfer' limit 1), $3, $3, $4::jsonb)
     returning id`,
    [tenantId, type, title, JSON.stringify(settings)],
  );
  return inserted.rows[0]?.id ?? '';
}

async function graphAs<T>(token: string, path: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${server.app.emulator.graphBase}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function transfer(token: string, mail: MailRef, targetId: string): Promise<Transfer> {
  const created = await api<{ transfer: Transfer }>(token, 'POST', '/api/transfers', {
    messageId: mail.id,
    internetMessageId: mail.internetMessageId,
    targetId,
  });
  expect(created.status).toBe(202);
  return waitForTransfer(server, token, created.body.transfer.id);
}

async function delegatedGraphToken(user: string, scope: string): Promise<string> {
  const tokens = await signInWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: server.app.emulator.ids.demoTenantId,
    user,
    scope,
    clientId: server.config.entra.clientId,
  });
  return tokens.accessToken;
}

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server);
  await seedTargets(server);
  const demo = server.app.emulator.ids.demoTenantId;
  // Anna signs in first, so she is the tenant's administrator; both get a Transfer licence.
  anna = await accessTokenFor(server, demo, server.app.emulator.ids.demoUserUpn);
  jonas = await accessTokenFor(server, demo, DEMO_SECOND_USER_UPN);
  annaOid = server.app.emulator.ids.demoUserOid;
  jonasOid = (await demoGraph(server).json<{ id: string }>({ path: `/users/${DEMO_SECOND_USER_UPN}` })).id;
  jonasGraph = await delegatedGraphToken(
    DEMO_SECOND_USER_UPN,
    'ChannelMessage.Read.All Tasks.ReadWrite Mail.Read',
  );
  annaGraph = await delegatedGraphToken(server.app.emulator.ids.demoUserUpn, 'Tasks.ReadWrite');
  const tenantId = await demoTenantId(server);
  const { teams, plans } = demoFixture;
  targets.onedrive = await addTarget(tenantId, 'onedrive', 'My OneDrive', { folderPath: 'Mail/Filed' });
  targets.teams = await addTarget(tenantId, 'teams_channel', 'Sales · Contracts', {
    teamId: teams.sales.teamId,
    channelId: teams.sales.channels.contracts,
  });
  targets.planner = await addTarget(tenantId, 'planner', 'Sales pipeline · Offers', {
    planId: plans.salesPipeline.planId,
    bucketId: plans.salesPipeline.buckets.offers,
    folderPath: 'Planner',
  });
  targets.todo = await addTarget(tenantId, 'todo', 'My follow-ups', { listName: 'Follow-ups' });
});

afterAll(async () => {
  await server?.close();
});

describe('Microsoft targets, as the user (on-behalf-of)', () => {
  it('files the mail and its attachments into a folder of the user’s own OneDrive', async () => {
    const mail = await findMail(server, OFFER, annaOid);
    const done = await transfer(anna, mail, targets.onedrive);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    expect(done.files.map((f) => f.name)).toEqual(OFFER_FILES);
    expect(done.folderUrl).toMatch(
      /-my\.sharepoint\.example\/personal\/anna_berger_contoso_example\/Documents\/Mail\/Filed$/,
    );
    const children: { name: string; size: number }[] = [];
    for await (const item of demoGraph(server).paginate<{ name: string; size: number }>(
      `/users/${annaOid}/drive/root:/Mail/Filed:/children`,
    )) {
      children.push({ name: item.name, size: item.size });
    }
    for (const file of done.files) expect(children).toContainEqual({ name: file.name, size: file.size });
    // The grant the job used is kept sealed: no token in readable form.
    const grant = await server.database.db.query<{ sealed: Buffer | Uint8Array }>(
      'select sealed from delegated_grants where user_id = (select id from users where email = $1)',
      [server.app.emulator.ids.demoUserUpn],
    );
    expect(grant.rows).toHaveLength(1);
    expect(Buffer.from(grant.rows[0]?.sealed ?? []).toString('latin1')).not.toMatch(/eyJ|refresh/);
  });

  it('puts the files into the channel’s files folder and posts a message linking them', async () => {
    const mail = await findMail(server, OFFER, jonasOid);
    const done = await transfer(jonas, mail, targets.teams);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    const { teams } = demoFixture;
    const drive = await demoGraph(server).json<{ id: string }>({
      path: `/groups/${teams.sales.teamId}/drive`,
    });
    const inFolder = new Map<string, { webUrl: string; size: number }>();
    for await (const item of demoGraph(server).paginate<{ name: string; webUrl: string; size: number }>(
      `/drives/${encodeURIComponent(drive.id)}/root:/Contracts:/children`,
    )) {
      inFolder.set(item.name, item);
    }
    for (const file of done.files) expect(inFolder.get(file.name)?.size).toBe(file.size);
    const messages = await graphAs<{
      value: { subject: string; webUrl: string; attachments: { name: string; contentUrl: string }[] }[];
    }>(
      jonasGraph,
      `/teams/${teams.sales.teamId}/channels/${encodeURIComponent(teams.sales.channels.contracts)}/messages`,
    );
    const posted = messages.value.find((m) => m.subject === OFFER);
    expect(posted?.webUrl).toBe(done.folderUrl);
    expect(posted?.attachments.map((a) => [a.name, a.contentUrl])).toEqual(
      done.files.map((f) => [f.name, inFolder.get(f.name)?.webUrl]),
    );
  });

  it('creates a Planner task in the bucket with the mail text and the files as references', async () => {
    const mail = await findMail(server, OFFER, jonasOid);
    const done = await transfer(jonas, mail, targets.planner);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    const { plans } = demoFixture;
    const tasks = await graphAs<{ value: { id: string; title: string; bucketId: string }[] }>(
      jonasGraph,
      `/planner/plans/${plans.salesPipeline.planId}/tasks`,
    );
    const task = tasks.value.find((t) => t.title === OFFER);
    expect(task?.bucketId).toBe(plans.salesPipeline.buckets.offers);
    const details = await graphAs<{ description: string; references: Record<string, { alias: string }> }>(
      jonasGraph,
      `/planner/tasks/${task?.id}/details`,
    );
    const text = await graphAs<{ body: { content: string } }>(
      jonasGraph,
      `/me/messages/${encodeURIComponent(mail.id)}?$select=body`,
      { prefer: 'outlook.body-content-type="text"' },
    );
    expect(details.description.length).toBeGreaterThan(20);
    expect(details.description).toBe(text.body.content.replace(/\r\n/g, '\n').trim());
    const aliases = Object.values(details.references).map((r) => r.alias);
    expect(aliases.sort()).toEqual([...done.files.map((f) => f.name)].sort());
    for (const key of Object.keys(details.references)) {
      expect(key).not.toMatch(/[.:]/);
      expect(decodeURIComponent(key)).toMatch(/^https:\/\/contoso\.sharepoint\.example\/sites\/sales\//);
    }
  });

  it('creates a To Do task with the mail text and a link back to the mail', async () => {
    const mail = await findMail(server, OFFER, annaOid);
    const done = await transfer(anna, mail, targets.todo);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    const lists = await graphAs<{ value: { id: string; displayName: string }[] }>(
      annaGraph,
      '/me/todo/lists',
    );
    const list = lists.value.find((l) => l.displayName === 'Follow-ups');
    const tasks = await graphAs<{
      value: {
        title: string;
        body: { content: string };
        linkedResources: { webUrl: string; externalId: string }[];
      }[];
    }>(annaGraph, `/me/todo/lists/${encodeURIComponent(list?.id ?? '')}/tasks?$expand=linkedResources`);
    const task = tasks.value.find((t) => t.title === OFFER);
    expect(task?.body.content.length).toBeGreaterThan(20);
    const message = await demoGraph(server).json<{ webLink: string }>({
      path: `/users/${annaOid}/messages/${encodeURIComponent(mail.id)}?$select=webLink`,
    });
    expect(task?.linkedResources).toEqual([
      expect.objectContaining({ webUrl: message.webLink, externalId: mail.internetMessageId }),
    ]);
    expect(done.folderUrl).toBe(message.webLink);
  });

  it('fails as forbidden, decided by Microsoft, for a user outside the team and the plan', async () => {
    const mail = await findMail(server, OFFER, annaOid);
    for (const targetId of [targets.teams, targets.planner]) {
      const failed = await transfer(anna, mail, targetId);
      expect(failed.state).toBe('failed');
      expect(failed.failureReason).toMatch(
        /^Microsoft 365 does not let you write to this (Teams channel|Planner plan)\./,
      );
    }
  });
});

describe('the portal’s Teams and Planner pickers', () => {
  async function portalGet<T>(email: string, path: string): Promise<{ status: number; body: T }> {
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
    const response = await fetch(`${server.baseUrl}${path}`, {
      headers: { cookie: `mailissa_portal=${session.token}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  it('lets a tenant administrator pick team and channel, group, plan and bucket; nobody else', async () => {
    const admin = server.app.emulator.ids.demoUserUpn;
    const { teams, plans } = demoFixture;
    const teamList = await portalGet<{ teams: { id: string; name: string }[] }>(
      admin,
      '/portal/api/m365/teams',
    );
    expect(teamList.body.teams).toEqual([
      { id: teams.sales.teamId, name: 'Sales' },
      { id: teams.support.teamId, name: 'Support' },
    ]);
    const channels = await portalGet<{ channels: { id: string; name: string }[] }>(
      admin,
      `/portal/api/m365/teams/${teams.sales.teamId}/channels`,
    );
    expect(channels.body.channels).toContainEqual({ id: teams.sales.channels.contracts, name: 'Contracts' });
    const groups = await portalGet<{ groups: { id: string; name: string }[] }>(
      admin,
      '/portal/api/m365/groups',
    );
    expect(groups.body.groups.map((g) => g.name)).toEqual(['Sales', 'Support']);
    const planList = await portalGet<{ plans: { id: string; name: string }[] }>(
      admin,
      `/portal/api/m365/groups/${plans.salesPipeline.groupId}/plans`,
    );
    expect(planList.body.plans).toEqual([{ id: plans.salesPipeline.planId, name: 'Sales pipeline' }]);
    const buckets = await portalGet<{ buckets: { id: string; name: string }[] }>(
      admin,
      `/portal/api/m365/plans/${plans.salesPipeline.planId}/buckets`,
    );
    expect(buckets.body.buckets.map((b) => b.name)).toEqual(['Leads', 'Offers', 'Contracts']);
    // Jonas is no administrator.
    expect((await portalGet(DEMO_SECOND_USER_UPN, '/portal/api/m365/teams')).status).toBe(403);
    // A bad id is the caller's error, named.
    expect((await portalGet(admin, '/portal/api/m365/teams/not-a-guid/channels')).status).toBe(400);
  });
});

describe('the stored grant, renewed by the job', () => {
  it('redeems the refresh token once the access token is due, keeps the rotated one, and asks to sign in again when it is gone', async () => {
    const tenantId = await demoTenantId(server);
    const userId = (
      await server.database.db.query<{ id: string }>(
        'select id from users where tenant_id = $1 and email = $2',
        [tenantId, server.app.emulator.ids.demoUserUpn],
      )
    ).rows[0]?.id as string;
    const owner = { tenantId, userId, microsoftTenantId: server.app.emulator.ids.demoTenantId };
    const keyring = await loadCredentialKeyring(server.config);
    const read = () =>
      withTenant(server.database.db, tenantId, (tx) => readDelegatedGrant(tx, keyring, owner));
    const before = await read();
    expect(before?.tokens.refreshToken).toBeTruthy();
    // Two hours later the stored access token is stale: the job must renew it.
    const later = () => new Date(Date.now() + 2 * 60 * 60 * 1000);
    const access = createDelegatedAccess({
      config: server.config,
      db: server.database.db,
      keyring,
      now: later,
    });
    const me = await access.graphFor(owner, { profile: 'request' }).json<{ id: string }>({ path: '/me' });
    expect(me.id).toBe(annaOid);
    const after = await read();
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect(after?.tokens.refreshToken).not.toBe(before?.tokens.refreshToken);
    // A refresh token Microsoft no longer accepts: the user must open Mailissa again.
    await withTenant(server.database.db, tenantId, (tx) =>
      storeDelegatedGrant(
        tx,
        keyring,
        owner,
        { accessToken: 'expired', expiresAt: 0, refreshToken: 'revoked' },
        new Date(),
      ),
    );
    await expect(access.graphFor(owner, { profile: 'request' }).json({ path: '/me' })).rejects.toMatchObject({
      code: 'delegated_sign_in_required',
      status: 401,
    });
  });
});
