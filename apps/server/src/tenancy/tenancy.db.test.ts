import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { recordSignIn } from './record-sign-in.js';
import type { UserRow } from './tenancy.rows.js';

async function createTenant(database: TestDatabase, name: string, seats = 0): Promise<string> {
  const tenant = await database.db.query<{ id: string }>(
    'insert into tenants (microsoft_tenant_id, name) values ($1, $2) returning id',
    [randomUUID(), name],
  );
  const id = tenant.rows[0]?.id ?? '';
  await database.db.query(
    `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, state, period_end, auto_assign_licences)
     values ($1, 'trial', $2, $2, 'trial', now() + interval '30 days', true)`,
    [id, seats],
  );
  return id;
}

function identity(name: string) {
  return { objectId: randomUUID(), email: `${name.toLowerCase()}@example.test`, displayName: name };
}

describe('tenancy', () => {
  // One database for the file: every test creates tenants of its own (fresh ids) and looks only at them.
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('makes exactly one of two simultaneous first sign-ins administrator, and records both', async () => {
    const tenantId = await createTenant(database, 'Contoso');
    const [first, second] = await Promise.all([
      withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, identity('Alex'))),
      withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, identity('Bea'))),
    ]);
    const admins = [first, second].filter((user) => user.is_user_admin && user.is_tenant_admin);
    expect(admins).toHaveLength(1);
    const users = await database.db.query<UserRow>('select * from users where tenant_id = $1', [tenantId]);
    expect(users.rows.map((user) => user.display_name).sort()).toEqual(['Alex', 'Bea']);
    expect(users.rows.filter((user) => user.is_user_admin)).toHaveLength(1);
  });

  it('updates a returning user instead of adding a second row, keeping first seen', async () => {
    const tenantId = await createTenant(database, 'Contoso');
    const alex = identity('Alex');
    const created = await withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, alex));
    const again = await withTenant(database.db, tenantId, (tx) =>
      recordSignIn(tx, tenantId, { ...alex, displayName: 'Alex Wilber' }),
    );
    expect(again.id).toBe(created.id);
    expect(again.display_name).toBe('Alex Wilber');
    expect(again.first_seen_at.getTime()).toBe(created.first_seen_at.getTime());
    expect(again.last_seen_at.getTime()).toBeGreaterThanOrEqual(created.last_seen_at.getTime());
  });

  it("does not rewrite a returning user's row on every call, only when something changed", async () => {
    const tenantId = await createTenant(database, 'Contoso');
    const alex = identity('Alex');
    const created = await withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, alex));
    const again = await withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, alex));
    expect(again.last_seen_at.getTime()).toBe(created.last_seen_at.getTime());

    await database.db.query(`update users set last_seen_at = now() - interval '1 hour' where id = $1`, [
      created.id,
    ]);
    const later = await withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, alex));
    expect(later.last_seen_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('hands out trial licences on first sign-in only while seats remain', async () => {
    const tenantId = await createTenant(database, 'Contoso', 2);
    const users: UserRow[] = [];
    for (const name of ['Alex', 'Bea', 'Cem']) {
      users.push(await withTenant(database.db, tenantId, (tx) => recordSignIn(tx, tenantId, identity(name))));
    }
    const licences = await database.db.query<{ user_id: string; module: string }>(
      'select user_id, module from licence_assignments where tenant_id = $1',
      [tenantId],
    );
    const holders = (module: string) =>
      licences.rows.filter((row) => row.module === module).map((row) => row.user_id);
    expect(holders('transfer').sort()).toEqual([users[0]?.id, users[1]?.id].sort());
    expect(holders('team')).toHaveLength(2);
  });

  it('never shows a user of tenant A the users of tenant B, even without a tenant filter in the query', async () => {
    const tenantA = await createTenant(database, 'Contoso');
    const tenantB = await createTenant(database, 'Fabrikam');
    await withTenant(database.db, tenantA, (tx) => recordSignIn(tx, tenantA, identity('Alex')));
    await withTenant(database.db, tenantB, (tx) => recordSignIn(tx, tenantB, identity('Bruno')));

    const seenByA = await withTenant(database.db, tenantA, (tx) => tx.query<UserRow>('select * from users'));
    expect(seenByA.rows.map((user) => user.display_name)).toEqual(['Alex']);
    const tenantsSeenByA = await withTenant(database.db, tenantA, (tx) =>
      tx.query<{ name: string }>('select name from tenants'),
    );
    expect(tenantsSeenByA.rows.map((tenant) => tenant.name)).toEqual(['Contoso']);

    // Writing into another tenant is refused by the row-level security policy too.
    await expect(
      withTenant(database.db, tenantA, (tx) =>
        tx.query(
          `insert into users (tenant_id, entra_object_id, email, display_name) values ($1, $2, 'x@y.z', 'X')`,
          [tenantB, randomUUID()],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
