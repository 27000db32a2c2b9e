import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/database.js';
import type { GraphClient } from '../graph/graph-client.js';
import { readMessageCopy } from '../graph/outlook-categories.js';
import { listMicrosoftArtefacts } from '../rights/microsoft-artefacts.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { catchUpByDelta } from './catch-up-by-delta.js';
import { mirrorCategories } from './mirror-categories.js';
import { subscriptionsOfTenant } from './outlook-subscription.rows.js';
import { outlookSyncDeps, reconcileSubscriptions } from './outlook-sync.jobs.js';
import type { OutlookSyncDeps } from './outlook-sync-deps.js';
import {
  type MirrorPlan,
  type OutlookCategoryChange,
  type OutlookSyncPorts,
  setOutlookSyncPorts,
} from './outlook-sync-ports.js';
import { receiveNotifications } from './receive-notifications.js';
import { renewSubscription } from './watch-mailbox.js';

let server: TestServer;
let graph: GraphClient;
let deps: OutlookSyncDeps;
let tenantId: string;
let annaOid: string;
let jonasOid: string;
let microsoftTenantId: string;
/** The mail both members have a copy of (every seed mail is in every demo mailbox). */
let mail: { internetMessageId: string; fromAddress: string; subject: string };
const applied: OutlookCategoryChange[] = [];
let plan: MirrorPlan | undefined;
const remembered: Array<{ mailboxObjectId: string; categoryIds: string[] }> = [];

const fingerprintOf = (m: { fromAddress: string; subject: string }) =>
  `${m.fromAddress.toLowerCase()}|${m.subject}`;

const ports: OutlookSyncPorts = {
  async applyCategoryChange(_db, change) {
    applied.push(change);
  },
  fingerprintOf,
  async loadMirrorPlan() {
    return plan;
  },
  async listMirroredMailboxes(_db, forTenant) {
    return forTenant === tenantId ? [annaOid, jonasOid] : [];
  },
  async rememberCopy(_db, _job, copy) {
    remembered.push({ mailboxObjectId: copy.mailboxObjectId, categoryIds: copy.categoryIds });
  },
};

async function copyOf(mailbox: string): Promise<{ id: string; categories: string[] }> {
  const filter = encodeURIComponent(`internetMessageId eq '${mail.internetMessageId.replaceAll("'", "''")}'`);
  const page = await graph.json<{ value: Array<{ id: string; categories: string[] }> }>({
    path: `/users/${mailbox}/messages?$filter=${filter}&$select=id,categories`,
  });
  const copy = page.value[0];
  if (!copy) throw new Error(`no copy in ${mailbox}`);
  return copy;
}

async function setCategories(mailbox: string, categories: string[]): Promise<void> {
  const copy = await copyOf(mailbox);
  await graph.request({
    method: 'PATCH',
    path: `/users/${mailbox}/messages/${copy.id}`,
    body: { categories },
  });
}

async function rows() {
  return withTenant(server.database.db, tenantId, (tx) => subscriptionsOfTenant(tx, tenantId));
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.db;
  setOutlookSyncPorts(db, ports);
  microsoftTenantId = server.app.emulator.ids.demoTenantId;
  graph = server.app.appContext.graphFor(microsoftTenantId, { profile: 'request' });
  const tenant = await db.query<{ id: string }>('select id from tenants where microsoft_tenant_id = $1', [
    microsoftTenantId,
  ]);
  tenantId = tenant.rows[0]?.id as string;
  annaOid = server.app.emulator.ids.demoUserOid;
  const jonas = await graph.json<{ id: string }>({ path: '/users/jonas.weber@contoso.example?$select=id' });
  jonasOid = jonas.id;
  const first = await graph.json<{
    value: Array<{ internetMessageId: string; subject: string; from: { emailAddress: { address: string } } }>;
  }>({ path: `/users/${jonasOid}/messages?$top=4&$select=internetMessageId,subject,from` });
  const pick = first.value[3];
  if (!pick) throw new Error('no seed mail');
  mail = {
    internetMessageId: pick.internetMessageId,
    fromAddress: pick.from.emailAddress.address,
    subject: pick.subject,
  };
  const controller = new AbortController();
  deps = outlookSyncDeps({
    context: server.app.appContext,
    log: server.app.log,
    signal: controller.signal,
    mail: { send: async () => {} } as never,
  });
});
afterAll(async () => {
  await server?.close();
});

describe('Graph subscriptions per member mailbox', () => {
  it('subscribes each wanted mailbox through the validation handshake and stores only a hash of clientState', async () => {
    await reconcileSubscriptions(deps);
    const stored = await rows();
    expect(stored.map((r) => r.mailbox_object_id).sort()).toEqual([annaOid, jonasOid].sort());
    const live = server.app.emulator.subscriptions.list();
    expect(live).toHaveLength(2);
    for (const subscription of live) {
      expect(subscription.notificationUrl).toBe(`${server.baseUrl}/api/outlook-sync/notifications`);
      expect(subscription.lifecycleNotificationUrl).toBe(`${server.baseUrl}/api/outlook-sync/lifecycle`);
      const row = stored.find((r) => r.graph_subscription_id === subscription.id);
      expect(row?.client_state_hash).toHaveLength(32);
      // The secret itself is nowhere in our row.
      expect(JSON.stringify(row)).not.toContain(String(subscription.clientState));
    }
    // Recorded as ours, so the end of the tenancy removes them from Microsoft 365 again.
    const artefacts = await withTenant(server.database.db, tenantId, (tx) =>
      listMicrosoftArtefacts(tx, tenantId),
    );
    expect(
      artefacts
        .filter((artefact) => artefact.kind === 'subscription')
        .map((artefact) => artefact.graphId)
        .sort(),
    ).toEqual(live.map((subscription) => subscription.id).sort());
    // Idempotent: a second run keeps the same subscriptions.
    await reconcileSubscriptions(deps);
    expect(
      server.app.emulator.subscriptions
        .list()
        .map((s) => s.id)
        .sort(),
    ).toEqual(live.map((s) => s.id).sort());
  });

  it('answers the validation handshake with the decoded token as plain text', async () => {
    const response = await fetch(
      `${server.baseUrl}/api/outlook-sync/notifications?validationToken=${encodeURIComponent('Validation: a b+c')}`,
      { method: 'POST', headers: { 'content-type': 'text/plain' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Validation: a b+c');
  });

  it("a category set through Graph on Jonas's copy reaches the port with his copy's categories", async () => {
    applied.length = 0;
    await setCategories('jonas.weber@contoso.example', ['Urgent', 'Private']);
    await server.app.emulator.subscriptions.settle();
    await expect.poll(() => applied.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(applied[0]).toMatchObject({
      tenantId,
      userObjectId: jonasOid,
      internetMessageId: mail.internetMessageId,
      fingerprint: fingerprintOf(mail),
      categoryNames: ['Urgent', 'Private'],
    });
  });

  it('drops notifications whose clientState does not match, or that name unknown subscriptions', async () => {
    const subscription = server.app.emulator.subscriptions.list()[0];
    const forged = {
      subscriptionId: String(subscription?.id),
      tenantId: microsoftTenantId,
      clientState: 'guessed',
      changeType: 'updated',
      resourceData: { id: 'AAA' },
    };
    expect(await receiveNotifications(deps, [forged])).toEqual({ accepted: 0 });
    expect(
      await receiveNotifications(deps, [{ ...forged, clientState: subscription?.clientState ?? null }]),
    ).toEqual({
      accepted: 1,
    });
    expect(
      await receiveNotifications(deps, [
        { ...forged, subscriptionId: 'unknown', clientState: subscription?.clientState ?? null },
      ]),
    ).toEqual({ accepted: 0 });
    const response = await fetch(`${server.baseUrl}/api/outlook-sync/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [forged] }),
    });
    expect(response.status).toBe(202);
    const bad = await fetch(`${server.baseUrl}/api/outlook-sync/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ tenantId: microsoftTenantId }] }),
    });
    expect(bad.status).toBe(400);
    const notATenant = await fetch(`${server.baseUrl}/api/outlook-sync/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ subscriptionId: 'a', tenantId: 'a' }] }),
    });
    expect(notATenant.status).toBe(400);
    expect(await receiveNotifications(deps, [{ ...forged, tenantId: 'not-a-guid' }])).toEqual({
      accepted: 0,
    });
  });

  it('renews before expiry, and recreates a subscription Graph removed (lifecycle notification)', async () => {
    const [row] = (await rows()).filter((r) => r.mailbox_object_id === annaOid);
    if (!row) throw new Error('no row');
    const before = row.expires_at?.getTime() ?? 0;
    await renewSubscription(deps, row);
    const [renewed] = (await rows()).filter((r) => r.mailbox_object_id === annaOid);
    expect(renewed?.graph_subscription_id).toBe(row.graph_subscription_id);
    expect(renewed?.expires_at?.getTime()).toBeGreaterThanOrEqual(before);

    expect(
      server.app.emulator.subscriptions.lifecycle(String(row.graph_subscription_id), 'subscriptionRemoved'),
    ).toBe(true);
    await server.app.emulator.subscriptions.settle();
    await expect
      .poll(async () => (await rows()).find((r) => r.mailbox_object_id === annaOid)?.graph_subscription_id, {
        timeout: 20_000,
      })
      .toSatisfy((id) => typeof id === 'string' && id !== row.graph_subscription_id);
    const recreated = (await rows()).find((r) => r.mailbox_object_id === annaOid);
    expect(recreated?.graph_subscription_id).toBeTruthy();
    expect(server.app.emulator.subscriptions.list().map((s) => s.id)).toContain(
      recreated?.graph_subscription_id,
    );
  });

  it('catches up by delta query: the first round only marks the place, later rounds apply changes', async () => {
    const [row] = (await rows()).filter((r) => r.mailbox_object_id === jonasOid);
    if (!row) throw new Error('no row');
    applied.length = 0;
    expect(await catchUpByDelta(deps, { ...row, delta_link: null })).toBe(0);
    expect(applied).toHaveLength(0);
    const [marked] = (await rows()).filter((r) => r.mailbox_object_id === jonasOid);
    expect(marked?.delta_link).toContain('$deltatoken=');

    // A missed notification: the change is made while the subscription is gone.
    server.app.emulator.subscriptions.lifecycle(String(row.graph_subscription_id), 'subscriptionRemoved');
    await setCategories('jonas.weber@contoso.example', ['Done']);
    if (!marked) throw new Error('no row');
    applied.length = 0;
    expect(await catchUpByDelta(deps, marked)).toBe(1);
    expect(applied.find((c) => c.userObjectId === jonasOid)?.categoryNames).toEqual(['Done']);
  });
});

describe('team.mirror-categories worker', () => {
  it("sets the team's categories with their colours on both copies and keeps each member's own", async () => {
    await setCategories('anna.berger@contoso.example', ['Anna private', 'Waiting']);
    await setCategories('jonas.weber@contoso.example', ['Done']);
    plan = {
      microsoftTenantId,
      categories: [{ id: 'urgent', name: 'Urgent', color: 'preset0' }],
      teamCategoryNames: ['Urgent', 'Dringend', 'Waiting', 'Wartet'],
      mailboxes: [annaOid, jonasOid].map((userObjectId) => ({
        userObjectId,
        internetMessageId: mail.internetMessageId,
        fingerprint: fingerprintOf(mail),
      })),
    };
    const outcome = await mirrorCategories(deps, { tenantId, teamId: 't', teamMailId: 'm' });
    expect(outcome).toEqual({ mailboxes: 2, copies: 2 });
    // Team learns what each copy carries now, so the echo of the write changes nothing.
    expect(remembered).toEqual([
      { mailboxObjectId: annaOid, categoryIds: ['urgent'] },
      { mailboxObjectId: jonasOid, categoryIds: ['urgent'] },
    ]);
    const anna = await copyOf('anna.berger@contoso.example');
    expect(anna.categories).toEqual(['Anna private', 'Urgent']);
    expect((await copyOf('jonas.weber@contoso.example')).categories).toEqual(['Done', 'Urgent']);
    const master = await graph.json<{ value: Array<{ displayName: string; color: string }> }>({
      path: `/users/${jonasOid}/outlook/masterCategories`,
    });
    expect(master.value).toContainEqual(expect.objectContaining({ displayName: 'Urgent', color: 'preset0' }));
    expect((await readMessageCopy(graph, annaOid, anna.id))?.categories).toContain('Urgent');
    // The master categories the mirror created are recorded for removal at the end of the tenancy.
    const artefacts = await withTenant(server.database.db, tenantId, (tx) =>
      listMicrosoftArtefacts(tx, tenantId),
    );
    expect(artefacts).toContainEqual(
      expect.objectContaining({ kind: 'master_category', mailboxObjectId: jonasOid, label: 'Urgent' }),
    );
  });

  it('leaves a copy whose fingerprint differs (another mail with the same Message-ID) alone', async () => {
    plan = {
      microsoftTenantId,
      categories: [{ id: 'elsewhere', name: 'Elsewhere', color: 'preset3' }],
      teamCategoryNames: ['Elsewhere'],
      mailboxes: [{ userObjectId: annaOid, internetMessageId: mail.internetMessageId, fingerprint: 'other' }],
    };
    expect(await mirrorCategories(deps, { tenantId, teamId: 't', teamMailId: 'm' })).toEqual({
      mailboxes: 1,
      copies: 0,
    });
    expect((await copyOf('anna.berger@contoso.example')).categories).not.toContain('Elsewhere');
  });

  it('retries through Graph throttling', async () => {
    server.app.emulator.faults.inject({
      method: 'PATCH',
      pathPattern: /\/messages\//,
      status: 429,
      retryAfterSeconds: 0,
      times: 1,
    });
    plan = {
      microsoftTenantId,
      categories: [
        { id: 'urgent', name: 'Urgent', color: 'preset0' },
        { id: 'customer', name: 'Customer', color: 'preset7' },
      ],
      teamCategoryNames: ['Urgent', 'Customer'],
      mailboxes: [
        {
          userObjectId: jonasOid,
          internetMessageId: mail.internetMessageId,
          fingerprint: fingerprintOf(mail),
        },
      ],
    };
    await mirrorCategories(deps, { tenantId, teamId: 't', teamMailId: 'm' });
    expect(server.app.emulator.faults.pending()).toBe(0);
    expect((await copyOf('jonas.weber@contoso.example')).categories).toEqual(['Done', 'Urgent', 'Customer']);
  });
});
