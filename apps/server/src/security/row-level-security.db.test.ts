import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

/**
 * Every table that holds tenant data (has a `tenant_id` column) must have row-level security switched
 * on and a policy that keys on the tenant (docs/decisions/003): a new table without one fails here,
 * whoever forgets it. Read from the catalogue after all migrations, on PGlite and on PostgreSQL.
 */
describe('row-level security on every tenant table', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  async function tenantTables() {
    const { rows } = await database.db.query<{
      table_name: string;
      rls_enabled: boolean;
      policies: string[] | null;
      quals: string[] | null;
    }>(
      `select c.relname as table_name,
              c.relrowsecurity as rls_enabled,
              array_remove(array_agg(p.policyname), null) as policies,
              array_remove(array_agg(p.qual), null) as quals
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         left join pg_policies p on p.schemaname = n.nspname and p.tablename = c.relname
        where n.nspname = current_schema()
          and c.relkind in ('r', 'p')
          and exists (select 1 from information_schema.columns col
                       where col.table_schema = n.nspname and col.table_name = c.relname
                         and col.column_name = 'tenant_id')
        group by c.relname, c.relrowsecurity
        order by c.relname`,
    );
    const unguarded = rows
      .filter(
        (row) =>
          !row.rls_enabled ||
          (row.policies ?? []).length === 0 ||
          !(row.quals ?? []).some((qual) => qual.includes('tenant_id')),
      )
      .map((row) => row.table_name);
    return { all: rows.map((row) => row.table_name), unguarded };
  }

  it('enables row-level security with a tenant policy on every table with tenant_id', async () => {
    const { all, unguarded } = await tenantTables();
    // The suite must see the tables it guards, or it proves nothing.
    expect(all).toEqual(expect.arrayContaining(['users', 'transfers', 'targets', 'web_sessions']));
    expect(unguarded, 'tables with tenant_id but without row-level security and a tenant policy').toEqual([]);
  });

  it('notices a table that has tenant_id but only row-level security, or nothing at all', async () => {
    await database.db.query('create table rls_probe_bare (tenant_id uuid)');
    await database.db.query('create table rls_probe_no_policy (tenant_id uuid)');
    await database.db.query('alter table rls_probe_no_policy enable row level security');
    try {
      expect((await tenantTables()).unguarded).toEqual(['rls_probe_bare', 'rls_probe_no_policy']);
    } finally {
      await database.db.query('drop table rls_probe_bare, rls_probe_no_policy');
    }
  });

  it('also guards the tenants table itself by its id', async () => {
    const { rows } = await database.db.query<{ rls: boolean; policies: number }>(
      `select c.relrowsecurity as rls,
              (select count(*)::int from pg_policies p where p.tablename = 'tenants' and p.schemaname = current_schema()) as policies
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relname = 'tenants'`,
    );
    expect(rows[0]).toEqual({ rls: true, policies: expect.any(Number) });
    expect(rows[0]?.policies).toBeGreaterThan(0);
  });
});
