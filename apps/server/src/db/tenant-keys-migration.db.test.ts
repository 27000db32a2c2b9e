import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { listMigrations, migrate } from './migrate.js';

/**
 * Migrations 1320 and 1322 (decisions 181, 182) widen the keys of tables that already hold a
 * customer's rows: they must apply over them, keep them, and leave keys that behave as the old ones
 * did within a tenant while refusing a row that points into another tenant. The previous release's
 * `on conflict` clauses must still find their index during a rolling deploy.
 */
describe('migrations 1320 and 1322, tenant keys', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    // As the release before 1320 left it. On PGlite a template made once: the chain up to there is
    // most of what this file would cost otherwise, and both tests start from it.
    database = await createTestDatabase({ migrated: { before: '1320' } });
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

  // Migration 1322 (decision 182) gives the last two unique keys of tenant tables their tenant_id. The
  // team mail's old key stays for the previous release's upsert during a rolling deploy.
  const FINGERPRINT = 'a'.repeat(64);
  /** The previous release's upsert of a team mail, and this release's: the id of the row. */
  const upsertTeamMail = async (tenant: string, team: string, conflictColumns: string): Promise<string> => {
    const result = await database.db.query<{ id: string }>(
      `insert into team_mails (tenant_id, team_id, internet_message_id, fingerprint, subject, sender_name,
                               sender_address, first_seen_at, updated_at)
       values ($1, $2, '<offer@example.com>', $3, 'Offer', 'Alex Wilber', 'alex@example.com', now(), now())
       on conflict (${conflictColumns}) do update set subject = excluded.subject
       returning id`,
      [tenant, team, FINGERPRINT],
    );
    return result.rows[0]?.id ?? '';
  };
  const subscribe = (tenant: string, graphSubscriptionId: string) =>
    database.db.query(
      `insert into outlook_subscriptions (tenant_id, mailbox_object_id, graph_subscription_id, client_state_hash)
       values ($1, gen_random_uuid(), $2, sha256('state'::bytea))`,
      [tenant, graphSubscriptionId],
    );

  it('applies over existing rows, keeps the old upsert working and keys both by tenant', async () => {
    // The release before 1322: 1320 and 1321 on top of the database's state.
    const all = await listMigrations();
    expect(
      await migrate(
        database.db,
        all.filter((migration) => migration.version < '1322'),
      ),
    ).toEqual(['1320_tenant_keys', '1321_transfer_suggestion_indexes']);
    const tenantRow = await database.db.query<{ id: string }>(
      `insert into tenants (microsoft_tenant_id, name) values (gen_random_uuid(), 'Contoso') returning id`,
    );
    const tenant = tenantRow.rows[0]?.id ?? '';
    const teamRow = await database.db.query<{ id: string }>(
      `insert into teams (tenant_id, name) values ($1, 'Sales') returning id`,
      [tenant],
    );
    const team = teamRow.rows[0]?.id ?? '';
    const before = await upsertTeamMail(tenant, team, 'team_id, internet_message_id, fingerprint');
    await subscribe(tenant, 'graph-subscription-1');

    expect(await migrate(database.db)).toContain('1322_tenant_unique_keys');

    // Both releases find the same row while they run side by side.
    expect(await upsertTeamMail(tenant, team, 'team_id, internet_message_id, fingerprint')).toBe(before);
    expect(await upsertTeamMail(tenant, team, 'tenant_id, team_id, internet_message_id, fingerprint')).toBe(
      before,
    );
    const mails = await database.db.query<{ count: string }>(
      'select count(*)::text as count from team_mails',
    );
    expect(mails.rows[0]?.count).toBe('1');

    // A subscription id is still unique where it is looked up: within the tenant the notification names.
    await expect(subscribe(tenant, 'graph-subscription-1')).rejects.toMatchObject({ code: '23505' });
    const keys = await database.db.query<{ name: string; definition: string }>(
      `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
        where conname in ('outlook_subscriptions_graph_subscription_id_key',
                          'team_mails_team_id_internet_message_id_fingerprint_key', 'team_mails_before_1322')
        order by conname`,
    );
    expect(keys.rows).toEqual([
      {
        name: 'outlook_subscriptions_graph_subscription_id_key',
        definition: 'UNIQUE (tenant_id, graph_subscription_id)',
      },
      { name: 'team_mails_before_1322', definition: 'UNIQUE (team_id, internet_message_id, fingerprint)' },
      {
        name: 'team_mails_team_id_internet_message_id_fingerprint_key',
        definition: 'UNIQUE (tenant_id, team_id, internet_message_id, fingerprint)',
      },
    ]);
  });
});
