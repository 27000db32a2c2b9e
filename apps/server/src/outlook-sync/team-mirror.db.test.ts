import type { AdminTeam, MyTeams, TeamMail, TenantSettings } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM } from '../demo/seed-demo-team.js';
import type { GraphClient } from '../graph/graph-client.js';
import { makeRetriesDueNow } from '../test-support/job-queue-state.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { accessTokenFor, demoGraph, demoTenantId } from '../transfer/transfer-test-helpers.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { outlookSyncDeps, reconcileSubscriptions } from './outlook-sync.jobs.js';
import { MIRROR_CATEGORIES_QUEUE } from './outlook-sync-queues.js';

/**
 * The Outlook mirror end to end against Team's own tables (issue 9 item 5), with nothing replaced:
 * a demo-mode server whose workers take the emulator's change notifications (real HTTP POSTs to the
 * public endpoint) and write categories back through the emulator's Graph. The demo's Service Desk
 * (All Staff) works from the shared mailbox support@; Anna and Elias are members with a Team licence.
 * The mail is one Anna sent (Paul in To, herself in Cc): every copy keeps her as the sender and the
 * same Message-ID, as in Exchange, so all copies are one team mail.
 */

const ANNA = 'anna.berger@contoso.example';
const ELIAS = 'elias.zimmermann@contoso.example';
const SUPPORT = 'support@contoso.example';
const MESSAGE_ID = '<alpha-thread-2@contoso.example>';
const SUBJECT = 'Re: Project Alpha: schedule for the rollout';

let server: TestServer;
let graph: GraphClient;
let tenantId: string;
let admin: string;
let tokens: Record<'anna' | 'elias', string>;
let teamId: string;
let categoryIds: Record<'urgent' | 'waiting' | 'invoice', string>;
let mailId: string;

async function api<T>(
  who: keyof typeof tokens | 'portal',
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      ...(who === 'portal'
        ? { cookie: admin, 'x-requested-with': 'mailissa' }
        : { authorization: `Bearer ${tokens[who]}` }),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A mailbox's copy of the mail, as Graph shows it. */
async function copyIn(mailbox: string) {
  const filter = encodeURIComponent(`internetMessageId eq '${MESSAGE_ID}'`);
  const page = await graph.json<{
    value: Array<{ id: string; categories: string[]; from: { emailAddress: { address: string } } }>;
  }>({ path: `/users/${mailbox}/messages?$filter=${filter}&$select=id,categories,from` });
  const copy = page.value[0];
  if (!copy) throw new Error(`no copy in ${mailbox}`);
  return copy;
}

/** What a member does in Outlook itself: sets the categories of their copy. */
async function setInOutlook(mailbox: string, categories: string[]): Promise<void> {
  const copy = await copyIn(mailbox);
  const response = await graph.request({
    method: 'PATCH',
    path: `/users/${mailbox}/messages/${copy.id}`,
    body: { categories },
  });
  await response.body?.cancel();
}

const sorted = (names: readonly string[]) => [...names].sort();

async function categoriesIn(mailbox: string): Promise<string[]> {
  return sorted((await copyIn(mailbox)).categories);
}

async function teamState(): Promise<TeamMail> {
  const read = await api<{ mail: TeamMail }>('anna', 'GET', `/api/team/teams/${teamId}/mails/${mailId}`);
  expect(read.status).toBe(200);
  return read.body.mail;
}

async function teamCategories(): Promise<string[]> {
  const names = new Map(Object.entries(categoryIds).map(([key, id]) => [id, key]));
  return sorted((await teamState()).categoryIds.map((id) => names.get(id) ?? id));
}

/**
 * Waits until notifications have been delivered and every copy shows `expected` (plus its owner's
 * own). A mirror write that failed waits for its retry's back-off (15 s and more) by the database's
 * clock: the retry is made due at once instead of waited for.
 */
async function copiesShow(expected: Record<string, string[]>): Promise<void> {
  await server.app.emulator.subscriptions.settle();
  for (const [mailbox, names] of Object.entries(expected)) {
    await expect
      .poll(
        async () => {
          await makeRetriesDueNow(server.database.db, MIRROR_CATEGORIES_QUEUE);
          return categoriesIn(mailbox);
        },
        { timeout: 30_000, interval: 200 },
      )
      .toEqual(sorted(names));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  graph = demoGraph(server);
  const ids = server.app.emulator.ids;
  tokens = {
    anna: await accessTokenFor(server, ids.demoTenantId, ANNA),
    elias: await accessTokenFor(server, ids.demoTenantId, ELIAS),
  };
  tenantId = await demoTenantId(server);
  const anna = await server.database.db.query<{ id: string }>(
    'select id from users where tenant_id = $1 and email = $2',
    [tenantId, ANNA],
  );
  const session = await createWebSession(
    server.database.db,
    { app: 'portal', tenantId, userId: anna.rows[0]?.id as string, displayName: 'Anna Berger' },
    new Date(),
  );
  admin = `mailissa_portal=${session.token}`;

  // The administrator gives the demo's Service Desk the shared mailbox it works from.
  const teams = await api<{ teams: AdminTeam[] }>('portal', 'GET', '/portal/api/teams');
  const serviceDesk = teams.body.teams.find((team) => team.name === DEMO_TEAM.name);
  if (!serviceDesk) throw new Error('no demo team');
  teamId = serviceDesk.id;
  const saved = await api<{ team: AdminTeam }>('portal', 'PUT', `/portal/api/teams/${teamId}`, {
    name: serviceDesk.name,
    members: serviceDesk.members,
    sharedMailbox: SUPPORT,
    categoryIds: serviceDesk.categoryIds,
  });
  expect(saved.status).toBe(200);
  const mine = await api<MyTeams>('anna', 'GET', `/api/team/teams?lang=en`);
  const byName = new Map(
    (mine.body.teams.find((team) => team.id === teamId)?.categories ?? []).map((c) => [c.name, c.id]),
  );
  categoryIds = {
    urgent: byName.get('Urgent') ?? '',
    waiting: byName.get('Waiting for customer') ?? '',
    invoice: byName.get('Invoice') ?? '',
  };

  // Anna has the mail open in the add-in: Office.js shows her own copy's sender and subject.
  const opened = await api<{ mail: TeamMail }>('anna', 'POST', `/api/team/teams/${teamId}/mails`, {
    internetMessageId: MESSAGE_ID,
    subject: SUBJECT,
    from: { name: 'Anna Berger', address: ANNA },
  });
  expect(opened.status).toBe(200);
  mailId = opened.body.mail.id;

  // The reconcile job's run: subscribe every mailbox the team uses.
  const deps = outlookSyncDeps({
    context: server.app.appContext,
    log: server.app.log,
    signal: new AbortController().signal,
    mail: { send: async () => {} } as never,
  });
  await reconcileSubscriptions(deps);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('the Outlook mirror against the team state', () => {
  it('watches the licensed members and the shared mailbox the team uses', async () => {
    const watched = server.app.emulator.subscriptions.list().map((s) => s.resource);
    const oidOf = async (upn: string) => (await graph.json<{ id: string }>({ path: `/users/${upn}` })).id;
    for (const mailbox of [ANNA, ELIAS, SUPPORT]) {
      expect(watched).toContain(`/users/${await oidOf(mailbox)}/messages`);
    }
    // Every copy of the mail Anna sent still names her as the sender, as in Exchange.
    for (const mailbox of [ANNA, ELIAS, SUPPORT]) {
      expect((await copyIn(mailbox)).from.emailAddress.address).toBe(ANNA);
    }
  });

  it("a category Elias sets in Outlook reaches the team state and the other members' copies", async () => {
    await setInOutlook(ELIAS, ['Urgent', 'Elias private']);
    await copiesShow({
      [ANNA]: ['Urgent'],
      [SUPPORT]: ['Urgent'],
      [ELIAS]: ['Urgent', 'Elias private'],
    });
    expect(await teamCategories()).toEqual(['urgent']);
    const history = (await teamState()).history;
    expect(history.find((entry) => entry.action === 'category_added')).toMatchObject({
      actor: 'Elias Zimmermann',
    });
  });

  it("a category added in Mailissa appears on every member's copy, each member's own categories kept", async () => {
    const added = await api('anna', 'POST', `/api/team/teams/${teamId}/mails/${mailId}/categories`, {
      categoryId: categoryIds.invoice,
    });
    expect(added.status).toBe(200);
    await copiesShow({
      [ANNA]: ['Urgent', 'Invoice'],
      [SUPPORT]: ['Urgent', 'Invoice'],
      [ELIAS]: ['Urgent', 'Elias private', 'Invoice'],
    });
    expect(await teamCategories()).toEqual(['invoice', 'urgent']);
  });

  it("a category removed on the shared mailbox's copy leaves the team state and the members' copies", async () => {
    await setInOutlook(SUPPORT, ['Invoice']);
    await copiesShow({
      [ANNA]: ['Invoice'],
      [ELIAS]: ['Elias private', 'Invoice'],
      [SUPPORT]: ['Invoice'],
    });
    expect(await teamCategories()).toEqual(['invoice']);
    // Graph does not say who changed a shared mailbox: the history names Outlook.
    expect((await teamState()).history[0]).toMatchObject({ action: 'category_removed', actor: 'Outlook' });
  });

  it("a copy the mirror has not reached yet, read in Outlook, does not undo the team's change", async () => {
    // The mirror's write to Anna's copy fails once (the job retries later), so her copy still lacks
    // the category Elias adds; meanwhile she reads the mail, and Graph notifies an update of it.
    const annaOid = (await graph.json<{ id: string }>({ path: `/users/${ANNA}` })).id;
    server.app.emulator.faults.inject({
      method: 'PATCH',
      pathPattern: new RegExp(`/users/${annaOid}/messages/`),
      status: 403,
      times: 1,
    });
    const added = await api('elias', 'POST', `/api/team/teams/${teamId}/mails/${mailId}/categories`, {
      categoryId: categoryIds.urgent,
    });
    expect(added.status).toBe(200);
    const copy = await copyIn(ANNA);
    const read = await graph.request({
      method: 'PATCH',
      path: `/users/${ANNA}/messages/${copy.id}`,
      body: { isRead: true },
    });
    await read.body?.cancel();
    // The retried write reaches her copy: the team still has the category.
    await copiesShow({
      [ELIAS]: ['Elias private', 'Invoice', 'Urgent'],
      [SUPPORT]: ['Invoice', 'Urgent'],
    });
    await copiesShow({ [ANNA]: ['Invoice', 'Urgent'] });
    expect(server.app.emulator.faults.pending()).toBe(0);
    expect(await teamCategories()).toEqual(['invoice', 'urgent']);
  });

  it("names the categories in the tenant's default language, and takes either language back", async () => {
    const settings = await api<TenantSettings>('portal', 'GET', '/portal/api/admin/settings');
    const german = await api('portal', 'PUT', '/portal/api/admin/settings', {
      ...settings.body,
      defaultLanguage: 'de',
    });
    expect(german.status).toBe(200);
    const added = await api('elias', 'POST', `/api/team/teams/${teamId}/mails/${mailId}/categories`, {
      categoryId: categoryIds.waiting,
    });
    expect(added.status).toBe(200);
    await copiesShow({
      [ANNA]: ['Dringend', 'Rechnung', 'Wartet auf Kunde'],
      [ELIAS]: ['Dringend', 'Elias private', 'Rechnung', 'Wartet auf Kunde'],
      [SUPPORT]: ['Dringend', 'Rechnung', 'Wartet auf Kunde'],
    });
    const master = await graph.json<{ value: Array<{ displayName: string; color: string }> }>({
      path: `/users/${ANNA}/outlook/masterCategories`,
    });
    expect(master.value).toContainEqual(
      expect.objectContaining({ displayName: 'Wartet auf Kunde', color: 'preset3' }),
    );
    // Anna removes the German name in Outlook: the team takes it as the same category.
    await setInOutlook(ANNA, ['Rechnung', 'Wartet auf Kunde']);
    await copiesShow({
      [ELIAS]: ['Elias private', 'Rechnung', 'Wartet auf Kunde'],
      [SUPPORT]: ['Rechnung', 'Wartet auf Kunde'],
    });
    expect(await teamCategories()).toEqual(['invoice', 'waiting']);
  });
});
