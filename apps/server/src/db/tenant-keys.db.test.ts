import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

/**
 * Ready for distribution by tenant (docs/decisions/120): in every table that holds a `tenant_id`, the
 * primary key and each foreign key include it, so Citus can place a tenant's rows, and the rows they
 * point to, on one node. Read from the catalog of the migrated database, so a new table is checked the
 * moment its migration exists.
 *
 * The tables below were written before the rule. Their keys are single uuids, unique across tenants
 * anyway; widening them rewrites each feature's keys, foreign keys and `on conflict` clauses, which is
 * done feature by feature as expand/contract migrations before a move to Citus (decision 120 lists the
 * order). The lists are exact: a new table must follow the rule, and a fixed one leaves the list.
 */
const KNOWN_EXCEPTIONS: { reason: string; constraints: string[] }[] = [
  {
    reason: 'tenancy and add-in core (0001, 0002, 0050, 0230, 0231, 0700, 0701, 0720)',
    constraints: [
      'users_pkey',
      'web_sessions_pkey',
      'web_sessions_user_id_fkey',
      'categories_pkey',
      'targets_pkey',
      'targets_category_id_fkey',
      'target_transfer_options_pkey',
      'target_transfer_options_target_id_fkey',
      'target_visibility_pkey',
      'target_visibility_target_id_fkey',
      'credentials_pkey',
      'credentials_target_id_fkey',
      'credentials_user_id_fkey',
      'delegated_grants_user_id_fkey',
      'transfers_pkey',
      'transfers_target_id_fkey',
      'transfers_created_by_fkey',
      'transfer_files_pkey',
      'transfer_files_transfer_id_fkey',
      'transfer_preferences_user_id_fkey',
      'licence_assignments_pkey',
      'licence_assignments_user_id_fkey',
    ],
  },
  {
    reason: 'team mailboxes and the Outlook mirror (0500, 0530, 0901)',
    constraints: [
      'teams_pkey',
      'team_members_pkey',
      'team_members_team_id_fkey',
      'team_categories_pkey',
      'team_categories_team_id_fkey',
      'team_categories_category_id_fkey',
      'team_mails_pkey',
      'team_mails_team_id_fkey',
      'team_mails_assignee_user_id_fkey',
      'team_mail_categories_pkey',
      'team_mail_categories_team_mail_id_fkey',
      'team_mail_categories_category_id_fkey',
      'team_notes_pkey',
      'team_notes_team_mail_id_fkey',
      'team_notes_author_user_id_fkey',
      'team_mentions_pkey',
      'team_mentions_note_id_fkey',
      'team_mentions_user_id_fkey',
      'team_presence_pkey',
      'team_presence_team_mail_id_fkey',
      'team_presence_user_id_fkey',
      'team_activity_pkey',
      'team_activity_team_mail_id_fkey',
      'team_activity_actor_user_id_fkey',
      'outlook_subscriptions_pkey',
      'microsoft_artefacts_pkey',
    ],
  },
  {
    // tenant_id is nullable or a mere reference here: a registration account, an invoice or a rights
    // request exists before a tenant does or after it ended. These stay on the coordinator (decision 120).
    reason: 'platform records that name a tenant but do not belong to one (0300, 0400, 0800)',
    constraints: [
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
      'processing_objections_user_id_fkey',
      'tenant_deletion_records_pkey',
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
      expect.arrayContaining(['audit_events_pkey', 'seat_usage_daily_pkey', 'delegated_grants_pkey']),
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
