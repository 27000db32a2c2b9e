import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

/**
 * Ready for distribution by tenant (decisions 120 and 181): in every table that holds a `tenant_id`,
 * the primary key and each foreign key include it, so Citus can place a tenant's rows, and the rows
 * they point to, on one node, and no row can point at another tenant's. Read from the catalog of the
 * migrated database, so a new table is checked the moment its migration exists. The lists are exact:
 * a new table must follow the rule, and one that is fixed leaves its list.
 */
const KNOWN_EXCEPTIONS: { reason: string; constraints: string[] }[] = [
  {
    // tenant_id is nullable or a mere reference here: a registration account, an invoice or a rights
    // request exists before a tenant does or after it ended, and an operator's session has no tenant.
    // These stay on the coordinator (decision 120).
    reason: 'platform records that name a tenant but do not belong to one (0001, 0300, 0400, 0800)',
    constraints: [
      'web_sessions_pkey',
      'registration_accounts_pkey',
      'subscriptions_pkey',
      'subscriptions_account_id_fkey',
      'invoices_pkey',
      'invoices_account_id_fkey',
      'invoices_corrects_invoice_id_fkey',
      'rights_requests_pkey',
      'held_records_pkey',
      'held_records_request_id_fkey',
      'processing_objections_pkey',
      'tenant_deletion_records_pkey',
    ],
  },
];

/**
 * Unique indexes of tenant tables without tenant_id, which Citus refuses on a distributed table.
 * Exact, as above: a new one must carry tenant_id, or say here why not.
 */
const KNOWN_UNIQUE_WITHOUT_TENANT: { reason: string; indexes: string[] }[] = [
  {
    reason: 'platform records, as above, and marketplace records found by the ids Microsoft sends',
    indexes: [
      'held_records_pkey',
      'invoices_kind_year_sequence_key',
      'invoices_number_key',
      'invoices_pkey',
      'invoices_provider_credit_note_id_key',
      'invoices_provider_invoice_id_key',
      'marketplace_operations_id_key',
      'marketplace_subscriptions_id_key',
      'processing_objections_pkey',
      'registration_accounts_email_key',
      'registration_accounts_pkey',
      'registration_accounts_provider_customer_id_key',
      'rights_requests_pkey',
      'subscriptions_marketplace_subscription_id_key',
      'subscriptions_pkey',
      'subscriptions_provider_subscription_id_key',
      'tenant_deletion_records_pkey',
      'web_sessions_pkey',
      'web_sessions_token_hash_key',
    ],
  },
  {
    // Expand/contract (docs/operations.md §5): the previous release's `on conflict` clauses name these
    // columns during a rolling deploy; the next release's contract migration drops them (decisions 181
    // and 182).
    reason: 'the old keys, kept for one release (1320, 1322)',
    indexes: [
      'target_transfer_options_before_1320',
      'team_mails_before_1322',
      'team_presence_before_1320',
      'transfer_files_before_1320',
    ],
  },
];

/** Tables without tenant_id that point into a table with one: platform records, as above. */
const KNOWN_UNSCOPED_REFERENCES = [
  'registration_email_changes → registration_accounts',
  'registration_links → registration_accounts',
  'registration_sessions → registration_accounts',
  'rights_request_events → rights_requests',
  'vat_checks → registration_accounts',
];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

/** Tables of the public schema that hold a tenant_id. */
const TENANT_TABLES = `
  select c.oid from pg_class c
   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
     and exists (select 1 from pg_attribute a
                  where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`;

const INCLUDES_TENANT_ID = `
  exists (select 1 from pg_attribute a
           where a.attrelid = con.conrelid and a.attnum = any(con.conkey) and a.attname = 'tenant_id')`;

describe('keys of tenant tables', () => {
  it('include tenant_id in every primary and foreign key, but for the listed tables', async () => {
    const keys = await database.db.query<{ name: string; includes_tenant: boolean; kind: string }>(
      `select con.conname as name, con.contype::text as kind, ${INCLUDES_TENANT_ID} as includes_tenant
         from pg_constraint con
        where con.contype in ('p', 'f') and con.conrelid in (${TENANT_TABLES})`,
    );
    const violations = keys.rows.filter((key) => !key.includes_tenant).map((key) => key.name);
    const known = KNOWN_EXCEPTIONS.flatMap((group) => group.constraints);
    expect(violations.sort()).toEqual([...known].sort());
    // The rule is real: the tables written after it follow it.
    const following = keys.rows.filter((key) => key.includes_tenant).map((key) => key.name);
    expect(following).toEqual(
      expect.arrayContaining([
        'audit_events_pkey',
        'transfers_pkey',
        'users_pkey',
        'team_mails_team_id_fkey',
      ]),
    );
  });

  it('have no unique index without tenant_id, but the listed ones', async () => {
    const indexes = await database.db.query<{ name: string }>(
      `select i.indexrelid::regclass::text as name
         from pg_index i
        where i.indisunique and i.indrelid in (${TENANT_TABLES})
          and not exists (select 1 from pg_attribute a
                           where a.attrelid = i.indrelid and a.attnum = any(i.indkey) and a.attname = 'tenant_id')`,
    );
    expect(indexes.rows.map((row) => row.name).sort()).toEqual(
      KNOWN_UNIQUE_WITHOUT_TENANT.flatMap((group) => group.indexes).sort(),
    );
  });

  it('leave no table without tenant_id pointing into a tenant table, but the listed platform records', async () => {
    const references = await database.db.query<{ owner: string; referenced: string }>(
      `select con.conrelid::regclass::text as owner, con.confrelid::regclass::text as referenced
         from pg_constraint con
        where con.contype = 'f' and con.connamespace = 'public'::regnamespace
          and con.confrelid in (${TENANT_TABLES}) and con.conrelid not in (${TENANT_TABLES})`,
    );
    expect(references.rows.map((row) => `${row.owner} → ${row.referenced}`).sort()).toEqual(
      KNOWN_UNSCOPED_REFERENCES,
    );
  });
});
