import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { listTenantDeletionFailures } from './list-tenant-deletion-failures.js';
import { runRightsRetention } from './rights.jobs.js';

const DAY_MS = 86_400_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** A tenant whose trial ended on `endedAt`, with one user. */
async function endedTenant(name: string, endedAt: Date): Promise<string> {
  const db = database.db;
  const tenant = await db.query<{ id: string }>(
    'insert into tenants (microsoft_tenant_id, name) values (gen_random_uuid(), $1) returning id',
    [name],
  );
  const tenantId = tenant.rows[0]?.id ?? '';
  await db.query(
    `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, state, period_start, period_end)
     values ($1, 'trial', 5, 5, 'trial', $2, $3)`,
    [tenantId, new Date(endedAt.getTime() - 30 * DAY_MS), endedAt],
  );
  await db.query(
    `insert into users (tenant_id, entra_object_id, email, display_name)
     values ($1, gen_random_uuid(), $2, 'Someone')`,
    [tenantId, `someone@${name.toLowerCase()}.example`],
  );
  return tenantId;
}

const exists = async (tenantId: string) =>
  ((await database.db.query('select 1 from tenants where id = $1', [tenantId])).rowCount ?? 0) > 0;

describe('the nightly tenancy deletion', () => {
  it('one tenant whose deletion fails does not stop the night: the others go, the failure is recorded and retried', async () => {
    const db = database.db;
    const ended = new Date('2026-03-01T12:00:00Z');
    const first = await endedTenant('Alpha', ended);
    const blocked = await endedTenant('Bravo', ended);
    const last = await endedTenant('Charlie', ended);
    // Something in the database refuses to let Bravo's tenant row go (as a stuck lock or a row another
    // feature forgot to key by tenant would): a real failure inside the deletion's transaction.
    await db.query(`create function refuse_tenant_delete() returns trigger language plpgsql as $$
      begin raise exception 'tenant % cannot be deleted now', old.id using errcode = '55006'; end $$`);
    await db.query(
      `create trigger refuse_bravo before delete on tenants for each row
         when (old.id = '${blocked}'::uuid) execute function refuse_tenant_delete()`,
    );

    const night = new Date(ended.getTime() + 31 * DAY_MS);
    const run = await runRightsRetention(db, night, 30);
    expect(run).toMatchObject({ tenantsDeleted: 2, tenantsFailed: 1 });
    expect(await exists(first)).toBe(false);
    expect(await exists(last)).toBe(false);
    // Bravo is untouched (its transaction rolled back), and the failure is recorded without a message.
    expect(await exists(blocked)).toBe(true);
    expect((await db.query('select 1 from users where tenant_id = $1', [blocked])).rowCount).toBe(1);
    const failures = await db.query<{ error: string; failed_at: Date }>(
      'select error, failed_at from tenant_deletion_failures where tenant_id = $1',
      [blocked],
    );
    expect(failures.rows).toHaveLength(1);
    expect(failures.rows[0]?.error).toContain('55006');
    expect(failures.rows[0]?.error).not.toContain('cannot be deleted');
    expect(new Date(failures.rows[0]?.failed_at ?? 0).toISOString()).toBe(night.toISOString());
    // The operator's list of deletions waiting for the next run names it.
    expect(await listTenantDeletionFailures(db)).toEqual([
      {
        tenantId: blocked,
        tenantName: 'Bravo',
        attempts: 1,
        lastFailedAt: night.toISOString(),
        lastError: failures.rows[0]?.error,
      },
    ]);
    const records = await db.query<{ tenant_id: string }>('select tenant_id from tenant_deletion_records');
    expect(records.rows.map((row) => row.tenant_id).sort()).toEqual([first, last].sort());

    // The next night, with the obstacle gone, Bravo is deleted too, and its failures go with it.
    await db.query('drop trigger refuse_bravo on tenants');
    const next = await runRightsRetention(db, new Date(night.getTime() + DAY_MS), 30);
    expect(next).toMatchObject({ tenantsDeleted: 1, tenantsFailed: 0 });
    expect(await exists(blocked)).toBe(false);
    expect(
      (await db.query('select 1 from tenant_deletion_failures where tenant_id = $1', [blocked])).rowCount,
    ).toBe(0);
    expect(await listTenantDeletionFailures(db)).toEqual([]);
    const record = await db.query<{ rows_deleted: Record<string, number> }>(
      'select rows_deleted from tenant_deletion_records where tenant_id = $1',
      [blocked],
    );
    // The record of the deletion says it had failed once before.
    expect(record.rows[0]?.rows_deleted).toMatchObject({ tenants: 1, users: 1, tenant_deletion_failures: 1 });
  });
});
