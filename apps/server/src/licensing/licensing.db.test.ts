import type { Administrators, AdminUsersPage, LicenceChangeResult, SeatOverview } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/database.js';
import { DEMO_GROUP_IDS, DEMO_TENANT_ID } from '../demo/emulators.js';
import { recordSignIn } from '../tenancy/record-sign-in.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createMember, createSeatTenant, portalClientFor } from './licensing.test-support.js';
import { snapshotSeatUsageOfAllTenants } from './snapshot-seat-usage.js';

describe('licences within seats, roles and administrators (portal API)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  }, 180_000); // A server in demo mode starts its emulators too: slow on a busy machine.
  afterAll(async () => {
    await server.close();
  });
  const db = () => server.database.db;
  const assigned = async (tenantId: string, module: string) =>
    (
      await withTenant(db(), tenantId, (tx) =>
        tx.query<{ n: number }>(
          'select count(*)::int as n from licence_assignments where tenant_id = $1 and module = $2',
          [tenantId, module],
        ),
      )
    ).rows[0]?.n;

  it('gives the last seat to exactly one of two administrators assigning it at once', async () => {
    const tenantId = await createSeatTenant(db(), { team: 0, transfer: 2 });
    const first = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    const second = await createMember(db(), tenantId, 'Bea Admin', { userAdmin: true });
    const holder = await createMember(db(), tenantId, 'Carl Holder');
    const dora = await createMember(db(), tenantId, 'Dora Hopeful');
    const emil = await createMember(db(), tenantId, 'Emil Hopeful');
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, first);
    const bea = await portalClientFor(server.baseUrl, db(), tenantId, second);
    expect(
      (await ada.post('/portal/api/admin/licences/assign', { module: 'transfer', userIds: [holder.id] }))
        .status,
    ).toBe(200);

    const answers = await Promise.all([
      ada.post<LicenceChangeResult>('/portal/api/admin/licences/assign', {
        module: 'transfer',
        userIds: [dora.id],
      }),
      bea.post<LicenceChangeResult>('/portal/api/admin/licences/assign', {
        module: 'transfer',
        userIds: [emil.id],
      }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const refused = answers.find((answer) => answer.status === 409);
    expect(refused?.body.error?.code).toBe('no_seats_left');
    expect(await assigned(tenantId, 'transfer')).toBe(2);

    const seats = await ada.get<SeatOverview>('/portal/api/admin/seats');
    expect(seats.body.modules).toContainEqual({ module: 'transfer', seats: 2, assigned: 2 });
  });

  it('assigns in bulk all or nothing, unassigns, and records each change in the audit log', async () => {
    const tenantId = await createSeatTenant(db(), { team: 2, transfer: 0 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    const users = await Promise.all(['Ben', 'Cleo', 'Dan'].map((name) => createMember(db(), tenantId, name)));
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    const ids = users.map((user) => user.id);

    const tooMany = await ada.post('/portal/api/admin/licences/assign', { module: 'team', userIds: ids });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'no_seats_left', seats: 2, assigned: 0, requested: 3 });
    expect(await assigned(tenantId, 'team')).toBe(0);

    const two = await ada.post<LicenceChangeResult>('/portal/api/admin/licences/assign', {
      module: 'team',
      userIds: ids.slice(0, 2),
    });
    expect(two.body).toMatchObject({ changed: 2, usage: { module: 'team', seats: 2, assigned: 2 } });
    // Assigning what users already hold takes no seat.
    const again = await ada.post<LicenceChangeResult>('/portal/api/admin/licences/assign', {
      module: 'team',
      userIds: ids.slice(0, 2),
    });
    expect(again.body.changed).toBe(0);
    const freed = await ada.post<LicenceChangeResult>('/portal/api/admin/licences/unassign', {
      module: 'team',
      userIds: [ids[0]],
    });
    expect(freed.body).toMatchObject({ changed: 1, usage: { assigned: 1 } });

    const audit = await ada.get<{ events: Array<{ action: string; subject: { id: string } }> }>(
      '/portal/api/admin/audit?action=licence',
    );
    expect(audit.body.events.map((event) => event.action)).toEqual([
      'licence.unassigned',
      'licence.assigned',
      'licence.assigned',
    ]);

    const unknown = await ada.post('/portal/api/admin/licences/assign', {
      module: 'team',
      userIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('user_not_found');
    const bad = await ada.post('/portal/api/admin/licences/assign', { module: 'chess', userIds: ids });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('module');
  });

  it('keeps licences and roles to administrators: 403 naming the role, and non-admins see who to ask', async () => {
    const tenantId = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    const helper = await createMember(db(), tenantId, 'Hugo Helper', { userAdmin: true });
    const plain = await createMember(db(), tenantId, 'Paula Plain');
    const paula = await portalClientFor(server.baseUrl, db(), tenantId, plain);
    const hugo = await portalClientFor(server.baseUrl, db(), tenantId, helper);

    const refused = await paula.post('/portal/api/admin/licences/assign', {
      module: 'team',
      userIds: [plain.id],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('user_administrator_required');
    const roleRefused = await hugo.put(`/portal/api/admin/users/${plain.id}/roles/user_administrator`);
    expect(roleRefused.status).toBe(403);
    expect(roleRefused.body.error?.code).toBe('tenant_administrator_required');

    const admins = await paula.get<Administrators>('/portal/api/administrators');
    expect(admins.status).toBe(200);
    expect(admins.body).toEqual({
      userAdministrators: [
        { displayName: 'Ada Admin', email: admin.email },
        { displayName: 'Hugo Helper', email: helper.email },
      ],
      tenantAdministrators: [{ displayName: 'Ada Admin', email: admin.email }],
    });
  });

  it('grants and revokes roles, which the portal session sees on its next request', async () => {
    const tenantId = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    const plain = await createMember(db(), tenantId, 'Paula Plain');
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    const paula = await portalClientFor(server.baseUrl, db(), tenantId, plain);
    expect((await paula.get('/portal/api/admin/users')).status).toBe(403);

    const granted = await ada.put(`/portal/api/admin/users/${plain.id}/roles/user_administrator`);
    expect(granted.body).toEqual({ id: plain.id, roles: ['user_administrator'] });
    expect(
      (await paula.get<{ user: { roles: string[] } }>('/auth/session?app=portal')).body.user.roles,
    ).toEqual(['user_administrator']);
    expect((await paula.get('/portal/api/admin/users')).status).toBe(200);

    const revoked = await ada.delete(`/portal/api/admin/users/${plain.id}/roles/user_administrator`);
    expect(revoked.body).toEqual({ id: plain.id, roles: [] });
    expect((await paula.get('/portal/api/admin/users')).status).toBe(403);

    const last = await ada.delete(`/portal/api/admin/users/${admin.id}/roles/tenant_administrator`);
    expect(last.status).toBe(409);
    expect(last.body.error?.code).toBe('last_tenant_administrator');

    const audit = await ada.get<{ events: Array<{ action: string; before: unknown; after: unknown }> }>(
      '/portal/api/admin/audit?action=role',
    );
    expect(audit.body.events).toMatchObject([
      { action: 'role.revoked', before: { roles: ['user_administrator'] }, after: { roles: [] } },
      { action: 'role.granted', before: { roles: [] }, after: { roles: ['user_administrator'] } },
    ]);
  });

  it('keeps one tenant administrator when the last two demote each other at the same moment', async () => {
    const tenantId = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const one = await createMember(db(), tenantId, 'One Admin', { tenantAdmin: true });
    const two = await createMember(db(), tenantId, 'Two Admin', { tenantAdmin: true });
    const first = await portalClientFor(server.baseUrl, db(), tenantId, one);
    const second = await portalClientFor(server.baseUrl, db(), tenantId, two);
    const answers = await Promise.all([
      first.delete(`/portal/api/admin/users/${two.id}/roles/tenant_administrator`),
      second.delete(`/portal/api/admin/users/${one.id}/roles/tenant_administrator`),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    const left = await withTenant(db(), tenantId, (tx) =>
      tx.query('select id from users where tenant_id = $1 and is_tenant_admin', [tenantId]),
    );
    expect(left.rowCount).toBe(1);
  });

  it('pages, searches and sorts 10,000 users on the server', async () => {
    const tenantId = await createSeatTenant(db(), { team: 10, transfer: 10 });
    const admin = await createMember(db(), tenantId, 'Aaron Admin', { userAdmin: true });
    await withTenant(db(), tenantId, (tx) =>
      tx.query(
        `insert into users (tenant_id, entra_object_id, email, display_name)
         select $1, gen_random_uuid(), 'user' || n || '@example.test', 'User ' || lpad(n::text, 5, '0')
           from generate_series(1, 10000) as n`,
        [tenantId],
      ),
    );
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    const firstPage = await ada.get<AdminUsersPage>('/portal/api/admin/users?pageSize=50&sort=name');
    expect(firstPage.body.total).toBe(10_001);
    expect(firstPage.body.users).toHaveLength(50);
    expect(firstPage.body.users[0]?.displayName).toBe('Aaron Admin');
    const lastPage = await ada.get<AdminUsersPage>(
      '/portal/api/admin/users?pageSize=50&sort=name&direction=desc&page=2',
    );
    expect(lastPage.body.users[0]?.displayName).toBe('User 09950');
    const found = await ada.get<AdminUsersPage>('/portal/api/admin/users?search=user%200999');
    expect(found.body.total).toBe(10);
    const literal = await ada.get<AdminUsersPage>('/portal/api/admin/users?search=%25');
    expect(literal.body.total).toBe(0);
    const past = await ada.get<AdminUsersPage>('/portal/api/admin/users?page=999');
    expect(past.body).toMatchObject({ users: [], total: 10_001 });
  });

  it('licenses every member of a directory group, nested groups included, adding those Mailissa has not seen', async () => {
    const tenant = await db().query<{ id: string }>('select id from tenants where microsoft_tenant_id = $1', [
      DEMO_TENANT_ID,
    ]);
    const tenantId = tenant.rows[0]?.id ?? '';
    const admin = await createMember(db(), tenantId, 'Group Admin', { userAdmin: true });
    const client = await portalClientFor(server.baseUrl, db(), tenantId, admin);

    const search = await client.get<{ groups: Array<{ id: string; displayName: string }> }>(
      '/portal/api/directory/groups?search=engin',
    );
    expect(search.status).toBe(200);
    expect(search.body.groups.map((group) => group.id)).toContain(DEMO_GROUP_IDS.engineering);

    const result = await client.post<LicenceChangeResult>('/portal/api/admin/licences/assign', {
      module: 'team',
      groupId: DEMO_GROUP_IDS.engineering,
    });
    expect(result.status).toBe(200);
    // Engineering has four members and the nested Platform Team three more.
    expect(result.body).toMatchObject({ changed: 7, addedFromDirectory: 7 });
    const undone = await client.post<LicenceChangeResult>('/portal/api/admin/licences/unassign', {
      module: 'team',
      groupId: DEMO_GROUP_IDS['platform-team'],
    });
    expect(undone.body).toMatchObject({ changed: 3, addedFromDirectory: 0 });
  });

  it('hands out licences on first start per module, as the tenant settings say, while seats last', async () => {
    const tenantId = await createSeatTenant(db(), { team: 5, transfer: 1 });
    await db().query(
      `insert into tenant_settings (tenant_id, auto_assign_team, auto_assign_transfer) values ($1, false, true)`,
      [tenantId],
    );
    const signIn = (objectId: string) =>
      withTenant(db(), tenantId, async (tx) => {
        const user = await recordSignIn(tx, tenantId, {
          objectId,
          email: `${objectId}@x.test`,
          displayName: 'X',
        });
        const licences = await tx.query<{ module: string }>(
          'select module from licence_assignments where tenant_id = $1 and user_id = $2',
          [tenantId, user.id],
        );
        return licences.rows.map((row) => row.module);
      });
    expect(await signIn(crypto.randomUUID())).toEqual(['transfer']);
    expect(await signIn(crypto.randomUUID())).toEqual([]);
  });

  it('keeps a daily seat snapshot for the usage chart, with today taken live', async () => {
    const tenantId = await createSeatTenant(db(), { team: 3, transfer: 4 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true });
    await withTenant(db(), tenantId, (tx) =>
      tx.query(`insert into licence_assignments (tenant_id, user_id, module) values ($1, $2, 'transfer')`, [
        tenantId,
        admin.id,
      ]),
    );
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    expect(await snapshotSeatUsageOfAllTenants(db(), yesterday)).toBeGreaterThan(0);
    const client = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    const overview = await client.get<SeatOverview>('/portal/api/admin/seats');
    const transfer = overview.body.history.filter((point) => point.module === 'transfer');
    expect(transfer).toEqual([
      { day: yesterday.toISOString().slice(0, 10), module: 'transfer', assigned: 1, seats: 4 },
      { day: new Date().toISOString().slice(0, 10), module: 'transfer', assigned: 1, seats: 4 },
    ]);
  });

  it('documents every administration route in the OpenAPI document', async () => {
    const openapi = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    for (const [path, method] of [
      ['/portal/api/administrators', 'get'],
      ['/api/administrators', 'get'],
      ['/portal/api/admin/users', 'get'],
      ['/portal/api/admin/seats', 'get'],
      ['/portal/api/admin/licences/assign', 'post'],
      ['/portal/api/admin/licences/unassign', 'post'],
      ['/portal/api/admin/users/{id}/roles/{role}', 'put'],
      ['/portal/api/admin/users/{id}/roles/{role}', 'delete'],
      ['/portal/api/admin/settings', 'put'],
      ['/portal/api/admin/audit', 'get'],
      ['/portal/api/admin/audit.csv', 'get'],
      ['/portal/api/directory/groups', 'get'],
    ] as const) {
      expect(openapi.paths[path]?.[method]?.summary, `${method} ${path}`).toBeTruthy();
    }
  });
});
