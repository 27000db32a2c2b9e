import type {
  AdminTeam,
  Category,
  MyTeams,
  TeamDashboard,
  TeamMail,
  TeamMailSummary,
} from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GROUP_IDS, waitForCaughtMail } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { accessTokenFor, demoTenantId, findMail } from '../transfer/transfer-test-helpers.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { applyOutlookCategoryChange } from './apply-outlook-category-change.js';
import { mailFingerprint } from './mail-fingerprint.js';

/**
 * Mailissa Team over real HTTP against a demo-mode server: teams in the portal, one mail's shared
 * state in the add-in's API, isolation, the licence, merging and conflicting edits, live events.
 */

const ANNA = 'anna.berger@contoso.example';
const ELIAS = 'elias.zimmermann@contoso.example'; // Platform Team ⊂ Engineering
const JONAS = 'jonas.weber@contoso.example'; // Sales only: not in the team
const OLIVIA = 'olivia.martin@fabrikam.example'; // another tenant

let server: TestServer;
let tenantId: string;
let admin: string;
let tokens: Record<'anna' | 'elias' | 'jonas' | 'olivia', string>;
let team: AdminTeam;
let urgent: Category;
let waiting: Category;

async function portal<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      cookie: admin,
      'x-requested-with': 'mailissa',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function api<T>(
  who: keyof typeof tokens,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...headers,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

const theMail = {
  internetMessageId: '<order-4711@customer.example>',
  subject: 'Order 4711: delivery date?',
  from: { name: 'Carla Customer', address: 'Carla@Customer.example' },
  receivedAt: '2026-11-27T09:30:00Z',
};

async function open(who: keyof typeof tokens, mail = theMail) {
  return api<{ mail: TeamMail }>(who, 'POST', `/api/team/teams/${team.id}/mails`, mail);
}

async function userId(email: string): Promise<string> {
  const rows = await server.database.db.query<{ id: string }>(
    'select id from users where tenant_id = $1 and email = $2',
    [tenantId, email],
  );
  const id = rows.rows[0]?.id;
  if (!id) throw new Error(`${email} has not signed in`);
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  const ids = server.app.emulator.ids;
  tokens = {
    anna: await accessTokenFor(server, ids.demoTenantId, ANNA),
    elias: await accessTokenFor(server, ids.demoTenantId, ELIAS),
    jonas: await accessTokenFor(server, ids.demoTenantId, JONAS),
    olivia: await accessTokenFor(server, ids.secondTenantId, OLIVIA),
  };
  tenantId = await demoTenantId(server);
  const session = await createWebSession(
    server.database.db,
    { app: 'portal', tenantId, userId: await userId(ANNA), displayName: 'Anna Berger' },
    new Date(),
  );
  admin = `mailissa_portal=${session.token}`;
  const created = async (name: string, color: string) =>
    (
      await portal<{ category: Category }>('POST', '/portal/api/categories', {
        module: 'team',
        name: { en: name, de: `${name} (de)` },
        color,
      })
    ).body.category;
  urgent = await created('Escalated', 'preset0');
  waiting = await created('On hold', 'preset7');
});

afterAll(async () => {
  await server?.close();
});

describe('teams in the portal', () => {
  it('creates a team of a user and a group with Team categories; refuses bad input by field', async () => {
    const transferCategory = await portal<{ category: Category }>('POST', '/portal/api/categories', {
      module: 'transfer',
      name: { en: 'Projects', de: 'Projekte' },
      color: 'preset1',
    });
    const body = {
      name: 'Customer Service',
      members: [
        { type: 'user', id: server.app.emulator.ids.demoUserOid, displayName: 'Anna Berger' },
        { type: 'group', id: DEMO_GROUP_IDS.engineering, displayName: 'Engineering' },
      ],
      sharedMailbox: 'service@contoso.example',
      categoryIds: [urgent.id, waiting.id],
    };
    const wrong = await portal<{ error: { code: string; message: string } }>('POST', '/portal/api/teams', {
      ...body,
      categoryIds: [transferCategory.body.category.id],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('categoryIds.0');

    const made = await portal<{ team: AdminTeam }>('POST', '/portal/api/teams', body);
    expect(made.status).toBe(201);
    team = made.body.team;
    expect(team.members).toHaveLength(2);
    expect(team.categoryIds.sort()).toEqual([urgent.id, waiting.id].sort());

    const again = await portal<{ error: { code: string } }>('POST', '/portal/api/teams', body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('team_name_taken');
    const list = await portal<{ teams: AdminTeam[] }>('GET', '/portal/api/teams');
    expect(list.body.teams.map((t) => t.name)).toContain('Customer Service');
  });
});

describe('one mail, one team state', () => {
  it('shows the team to its members (also through a nested group) with licensed people', async () => {
    const mine = await api<MyTeams>('elias', 'GET', '/api/team/teams?lang=de');
    expect(mine.status).toBe(200);
    const service = mine.body.teams.find((t) => t.id === team.id);
    expect(service?.categories.map((c) => c.name)).toEqual(['Escalated (de)', 'On hold (de)']);
    const people = service?.members.map((m) => m.email) ?? [];
    expect(people).toContain(ANNA);
    expect(people).toContain(ELIAS);
    expect(people).not.toContain(JONAS);
    // Jonas (Sales) is in neither this team nor the demo's Service Desk (All Staff).
    const jonas = await api<MyTeams>('jonas', 'GET', '/api/team/teams');
    expect(jonas.body.teams).toEqual([]);
  });

  it('gives two members the same state for the same mail; a different mail with the same id is another', async () => {
    const a = await open('anna');
    const e = await open('elias', {
      ...theMail,
      from: { ...theMail.from, address: 'carla@customer.example' },
    });
    expect(a.status).toBe(200);
    expect(e.body.mail.id).toBe(a.body.mail.id);
    expect(a.body.mail.history.map((h) => h.action)).toEqual(['first_seen']);
    const impostor = await open('elias', { ...theMail, subject: 'Newsletter November' });
    expect(impostor.body.mail.id).not.toBe(a.body.mail.id);
  });

  it('answers 404 to a non-member and to another tenant, and the licence message without a licence', async () => {
    const { mail } = (await open('anna')).body;
    for (const who of ['jonas', 'olivia'] as const) {
      expect((await open(who)).status).toBe(404);
      const read = await api<{ error: { code: string } }>(
        who,
        'GET',
        `/api/team/teams/${team.id}/mails/${mail.id}`,
      );
      expect(read.status).toBe(404);
      expect(read.body.error.code).toBe('team_not_found');
    }
    const elias = await userId(ELIAS);
    await server.database.db.query(`delete from licence_assignments where user_id = $1 and module = 'team'`, [
      elias,
    ]);
    try {
      const refused = await api<{ error: { code: string; administrators: unknown[] } }>(
        'elias',
        'GET',
        `/api/team/teams/${team.id}/mails/${mail.id}`,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('no_licence');
      expect(refused.body.error.administrators.length).toBeGreaterThan(0);
    } finally {
      await server.database.db.query(
        `insert into licence_assignments (tenant_id, user_id, module) values ($1, $2, 'team')`,
        [tenantId, elias],
      );
    }
  });

  it('merges category changes of two members made at the same time', async () => {
    const { mail } = (await open('anna')).body;
    const url = `/api/team/teams/${team.id}/mails/${mail.id}/categories`;
    const [a, e] = await Promise.all([
      api('anna', 'POST', url, { categoryId: urgent.id }),
      api('elias', 'POST', url, { categoryId: waiting.id }),
    ]);
    expect([a.status, e.status]).toEqual([200, 200]);
    const both = await api<{ mail: TeamMail }>('anna', 'GET', `/api/team/teams/${team.id}/mails/${mail.id}`);
    expect(both.body.mail.categoryIds.sort()).toEqual([urgent.id, waiting.id].sort());
    // Removing twice and adding twice are each one change.
    await Promise.all([
      api('anna', 'DELETE', `${url}/${waiting.id}`),
      api('elias', 'DELETE', `${url}/${waiting.id}`),
    ]);
    const after = await api<{ mail: TeamMail }>(
      'elias',
      'GET',
      `/api/team/teams/${team.id}/mails/${mail.id}`,
    );
    expect(after.body.mail.categoryIds).toEqual([urgent.id]);
    expect(after.body.mail.history.filter((h) => h.action === 'category_removed')).toHaveLength(1);
    // A category the team does not use is refused, naming the field.
    const other = await api<{ error: { message: string } }>('anna', 'POST', url, {
      categoryId: '00000000-0000-4000-8000-000000000000',
    });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain('categoryId');
  });

  it('assigns, sets the status and lists by filter and search', async () => {
    const { mail } = (await open('elias')).body;
    const anna = await userId(ANNA);
    const changed = await api<{ mail: TeamMail }>(
      'elias',
      'PATCH',
      `/api/team/teams/${team.id}/mails/${mail.id}`,
      {
        assigneeUserId: anna,
        status: 'done',
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.mail.assignee?.displayName).toBe('Anna Berger');
    expect(changed.body.mail.status).toBe('done');
    expect(changed.body.mail.doneAt).not.toBeNull();
    const jonas = await userId(JONAS);
    const outsider = await api<{ error: { message: string } }>(
      'elias',
      'PATCH',
      `/api/team/teams/${team.id}/mails/${mail.id}`,
      { assigneeUserId: jonas },
    );
    expect(outsider.status).toBe(400);
    expect(outsider.body.error.message).toContain('assigneeUserId');

    const list = async (query: string) =>
      (await api<{ mails: TeamMailSummary[] }>('anna', 'GET', `/api/team/teams/${team.id}/mails?${query}`))
        .body.mails;
    expect((await list('assignee=me')).map((m) => m.id)).toEqual([mail.id]);
    expect((await list('status=open')).map((m) => m.subject)).toEqual(['Newsletter November']);
    expect((await list(`categoryId=${urgent.id}`)).map((m) => m.id)).toEqual([mail.id]);
    expect((await list('q=carla')).length).toBe(2);
    expect((await list('q=4711')).map((m) => m.id)).toEqual([mail.id]);
    expect(await list('q=100%25')).toEqual([]);

    const dashboard = await portal<TeamDashboard>('GET', `/portal/api/teams/${team.id}/dashboard`);
    expect(dashboard.body.counts).toEqual({ open: 1, pending: 0, done: 1 });
    expect(dashboard.body.byCategory.find((c) => c.categoryId === urgent.id)?.counts.done).toBe(1);
    expect(dashboard.body.byAssignee.find((a) => a.userId === anna)?.counts.done).toBe(1);
    expect(dashboard.body.days).toHaveLength(30);
    expect(dashboard.body.days.at(-1)?.done).toBe(1);
    expect(dashboard.body.medianSecondsToDone).not.toBeNull();
  });

  it('keeps notes: a mention mails the member and shows a badge; a stale edit gets 412 with the newer text', async () => {
    const { mail } = (await open('anna')).body;
    const elias = await userId(ELIAS);
    const notes = `/api/team/teams/${team.id}/mails/${mail.id}/notes`;
    const added = await api<{ mail: TeamMail }>('anna', 'POST', notes, {
      text: '@Elias Zimmermann please call <b>Carla</b> back',
      mentions: [elias],
    });
    expect(added.status).toBe(200);
    const note = added.body.mail.notes[0];
    if (!note) throw new Error('no note');
    expect(note.text).toBe('@Elias Zimmermann please call <b>Carla</b> back');
    expect(note.version).toBe(1);
    expect((await api<MyTeams>('elias', 'GET', '/api/team/teams')).body.unseenMentions).toBe(1);
    const mention = await waitForCaughtMail(server.baseUrl, ELIAS, {
      match: (m) => (m.subject ?? '').includes('mentioned you'),
    });
    expect(mention.text).toContain('please call <b>Carla</b> back');
    await open('elias');
    expect((await api<MyTeams>('elias', 'GET', '/api/team/teams')).body.unseenMentions).toBe(0);

    const first = await api<{ mail: TeamMail }>(
      'elias',
      'PUT',
      `${notes}/${note.id}`,
      { text: 'Called her, waiting for the order number' },
      { 'if-match': '"1"' },
    );
    expect(first.status).toBe(200);
    const stale = await api<{ error: { code: string; note: { text: string; version: number } } }>(
      'anna',
      'PUT',
      `${notes}/${note.id}`,
      { text: 'Please call Carla today' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('team_note_conflict');
    expect(stale.body.error.note).toMatchObject({
      text: 'Called her, waiting for the order number',
      version: 2,
    });
  });

  it('streams other members’ changes as server-sent events', async () => {
    const { mail } = (await open('anna')).body;
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/api/team/teams/${team.id}/events`, {
      headers: { authorization: `Bearer ${tokens.elias}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no stream');
    const decoder = new TextDecoder();
    let text = '';
    await api('anna', 'POST', `/api/team/teams/${team.id}/mails/${mail.id}/categories`, {
      categoryId: waiting.id,
    });
    while (!text.includes(mail.id)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    // The event's latency is bench:team's figure (fan-out p50/p99), not a limit in a test.
    expect(text).toContain(`"teamMailId":"${mail.id}"`);
    controller.abort();
    const jonas = await fetch(`${server.baseUrl}/api/team/teams/${team.id}/events`, {
      headers: { authorization: `Bearer ${tokens.jonas}` },
    });
    expect(jonas.status).toBe(404);
  });

  it('shows who else has the mail open', async () => {
    const { mail } = (await open('anna')).body;
    const url = `/api/team/teams/${team.id}/mails/${mail.id}/presence`;
    await api('anna', 'POST', url);
    const seen = await api<{ present: Array<{ displayName: string }> }>('elias', 'POST', url);
    expect(seen.body.present.map((p) => p.displayName)).toEqual(['Anna Berger']);
  });

  it('applies categories set in Outlook to the team state (the mirror’s port)', async () => {
    const { mail } = (await open('anna')).body;
    const oidOf = async (email: string) =>
      (
        await server.database.db.query<{ entra_object_id: string }>(
          'select entra_object_id from users where email = $1',
          [email],
        )
      ).rows[0]?.entra_object_id as string;
    const inOutlook = async (email: string, categoryNames: string[], groupIds: string[]) =>
      applyOutlookCategoryChange(server.database.db, {
        tenantId,
        userObjectId: await oidOf(email),
        internetMessageId: theMail.internetMessageId,
        fingerprint: mailFingerprint({ fromAddress: theMail.from.address, subject: theMail.subject }),
        categoryNames,
        now: new Date(),
        groupIds,
      });
    // A copy seen for the first time without the team's categories (the mirror has not reached it,
    // the member only read it) proves nothing: the team keeps both.
    expect(await inOutlook(ANNA, ['Private'], [])).toEqual([]);
    // Elias's copy, first seen with both; then he removes "Escalated" in Outlook.
    expect(await inOutlook(ELIAS, ['Escalated', 'on hold (de)'], [DEMO_GROUP_IDS.engineering])).toEqual([]);
    const applied = await inOutlook(ELIAS, ['on hold (de)', 'Private'], [DEMO_GROUP_IDS.engineering]);
    expect(applied).toEqual([{ teamId: team.id, teamMailId: mail.id, added: [], removed: [urgent.id] }]);
    const after = await api<{ mail: TeamMail }>('anna', 'GET', `/api/team/teams/${team.id}/mails/${mail.id}`);
    expect(after.body.mail.categoryIds).toEqual([waiting.id]);
    expect(after.body.mail.history[0]).toMatchObject({
      action: 'category_removed',
      actor: 'Elias Zimmermann',
    });
    // The same copy read again (a notification for another change) changes nothing.
    expect(await inOutlook(ELIAS, ['on hold (de)', 'Private'], [DEMO_GROUP_IDS.engineering])).toEqual([]);
  });

  it('finds a team mail in the member’s own mailbox, to open it in Outlook', async () => {
    const subject = 'Customer visit from Northwind on 12 November';
    const own = await findMail(server, subject);
    const { mail } = (
      await open('anna', {
        internetMessageId: own.internetMessageId,
        subject,
        from: { name: 'Lena Fischer', address: 'lena.fischer@contoso.example' },
        receivedAt: '2026-11-04T13:32:00Z',
      })
    ).body;
    const item = await api<{ restId: string }>(
      'anna',
      'GET',
      `/api/team/teams/${team.id}/mails/${mail.id}/item`,
    );
    expect(item.status).toBe(200);
    expect(item.body.restId).toBe(own.id);
    // The test mail above exists in nobody's mailbox.
    const { mail: missing } = (await open('anna')).body;
    const none = await api('anna', 'GET', `/api/team/teams/${team.id}/mails/${missing.id}/item`);
    expect(none.status).toBe(404);
  });
});
