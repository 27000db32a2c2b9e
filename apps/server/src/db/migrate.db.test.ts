import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { listMigrations, migrate, pendingMigrations } from './migrate.js';

describe('migrations', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterEach(async () => {
    await database.drop();
  });

  it('apply from an empty database, in order, and leave nothing pending', async () => {
    const all = await listMigrations();
    expect(await pendingMigrations(database.db)).toEqual(all.map((m) => m.version));
    const applied = await migrate(database.db);
    expect(applied).toEqual(all.map((m) => `${m.version}_${m.name}`));
    expect(await pendingMigrations(database.db)).toEqual([]);
    const tables = await database.db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public'`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['tenants', 'users', 'subscriptions', 'licence_assignments']),
    );
  });

  it('are idempotent: a second run applies nothing and changes nothing', async () => {
    await migrate(database.db);
    await database.db.query(
      `insert into tenants (microsoft_tenant_id, name) values (gen_random_uuid(), 'Kept')`,
    );
    expect(await migrate(database.db)).toEqual([]);
    const kept = await database.db.query<{ name: string }>('select name from tenants');
    expect(kept.rows).toEqual([{ name: 'Kept' }]);
  });

  it('run safely from two migrators at once', async () => {
    const [first, second] = await Promise.all([migrate(database.db), migrate(database.db)]);
    const all = await listMigrations();
    expect([...first, ...second].sort()).toEqual(all.map((m) => `${m.version}_${m.name}`).sort());
  });

  it('roll a failing migration back completely', async () => {
    const broken = [
      { version: '9999', name: 'broken', sql: 'create table half_done (id int); select no_such_function();' },
    ];
    await expect(migrate(database.db, broken)).rejects.toThrow();
    const table = await database.db.query<{ present: boolean }>(
      `select to_regclass('half_done') is not null as present`,
    );
    expect(table.rows[0]?.present).toBe(false);
    const recorded = await database.db.query(`select 1 from schema_migrations where version = '9999'`);
    expect(recorded.rowCount).toBe(0);
  });
});
