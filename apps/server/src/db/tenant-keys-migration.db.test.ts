import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { listMigrations, migrate } from './migrate.js';

/**
 * Migration 1320 (decision 181) widens the keys of tables that already hold a customer's rows: it must
 * apply over them, keep them, and leave keys that behave as the old ones did within a tenant while
 * refusing a row that points into another tenant. The previous release's `on conflict` clauses must
 * still find their index during a rolling deploy.
 */
describe('migration 1320, tenant keys', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterEach(async () => {
    await database.drop();
  });

  /** A tenant with a user, a target and a transfer by that user with one file, as release N−1 wrote them. */
  async function tenantWithATransfer(
    name: string,
  ): Promise<Record<'tenant' | 'user' | 'target' | 'transfer', string>> {
    const one = async (sql: string, values: unknown[]): Promise<string> => {
      const result = await database.db.query<{ id: string }>(`${sql} returning id`, values);
      const id = result.rows[0]?.id;
      if (!id) throw new Error(`nothing returned by ${sql}`);
      return id;
    };
    const tenant = await one(
      'insert into tenants (microsoft_tenant_id, name) values (gen_random_uuid(), $1)',
      [name],
    );
    const user = await one(
      `insert into users (tenant_id, entra_object_id, email, display_name)
       values ($1, gen_random_uuid(), $2, 'Adele Vance')`,
      [tenant, `adele@${name.toLowerCase()}.example`],
    );
    const target = await one(
      `insert into targets (tenant_id, connector_type, title_en, title_de) values ($1, 'sharepoint', 'Contracts', 'Verträge')`,
      [tenant],
    );
    const transfer = await one(
      `insert into transfers (tenant_id, target_id, created_by, mailbox_object_id, message_id, internet_message_id)
       values ($1, $2, $3, gen_random_uuid(), 'AAMkAD1', '<one@example.com>')`,
      [tenant, target, user],
    );
    await database.db.query(
      `insert into transfer_files (transfer_id, tenant_id, part_key, position, name, size)
       values ($1, $2, 'message', 0, 'Mail.eml', 10)`,
      [transfer, tenant],
    );
    return { tenant, user, target, transfer };
  }

  it('applies over existing rows, keeps them, and keys them by tenant from then on', async () => {
    const all = await listMigrations();
    await migrate(
      database.db,
      all.filter((migration) => migration.version < '1320'),
    );
    const a = await tenantWithATransfer('Contoso');
    const b = await tenantWithATransfer('Fabrikam');

    expect(await migrate(database.db)).toContain('1320_tenant_keys');
    const kept = await database.db.query<{ count: string }>(
      'select count(*)::text as count from transfers t join transfer_files f on f.transfer_id = t.id and f.tenant_id = t.tenant_id',
    );
    expect(kept.rows[0]?.count).toBe('2');

    // A row of tenant B that names tenant A's target is refused now; before, only the id was checked.
    await expect(
      database.db.query(
        `insert into transfers (tenant_id, target_id, mailbox_object_id, message_id, internet_message_id)
         values ($1, $2, gen_random_uuid(), 'AAMkAD2', '<two@example.com>')`,
        [b.tenant, a.target],
      ),
    ).rejects.toMatchObject({ code: '23503' });

    // The previous release's upsert of a file still finds its index while both releases run.
    await database.db.query(
      `insert into transfer_files (transfer_id, tenant_id, part_key, position, name, size, done)
       values ($1, $2, 'message', 0, 'Mail 1.eml', 12, false)
       on conflict (transfer_id, part_key) do update set name = excluded.name`,
      [a.transfer, a.tenant],
    );

    // Deleting a user clears only the reference to them: the transfer stays in its tenant.
    await database.db.query('delete from users where tenant_id = $1 and id = $2', [a.tenant, a.user]);
    const after = await database.db.query<{ tenant_id: string; created_by: string | null; name: string }>(
      `select t.tenant_id, t.created_by, f.name from transfers t
         join transfer_files f on f.tenant_id = t.tenant_id and f.transfer_id = t.id where t.id = $1`,
      [a.transfer],
    );
    expect(after.rows).toEqual([{ tenant_id: a.tenant, created_by: null, name: 'Mail 1.eml' }]);
  });
});
