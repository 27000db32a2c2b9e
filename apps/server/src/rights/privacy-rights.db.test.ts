import type { RightsRequest, TenancyStatus } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type Buyer, newBuyer } from '../billing/billing-test-helpers.js';
import { withTenant } from '../db/database.js';
import {
  DEMO_SECOND_USER_UPN,
  fetchCaughtMail,
  hiddenField,
  SECOND_TENANT_USER_UPN,
  waitForCaughtMail,
} from '../demo/emulators.js';
import { outlookSyncDeps } from '../outlook-sync/outlook-sync.jobs.js';
import { watchMailbox } from '../outlook-sync/watch-mailbox.js';
import {
  createTestClock,
  startTestServer,
  type TestClock,
  type TestServer,
} from '../test-support/test-server.js';
import { accessTokenFor, demoTenantId } from '../transfer/transfer-test-helpers.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { recordMicrosoftArtefact } from './microsoft-artefacts.js';
import { releaseEndedHolds } from './release-ended-holds.js';
import { runRightsRetention } from './rights.jobs.js';

// A server starts in about a minute on the shared, loaded test machine.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

// Walks every right the privacy policy promises through the routes that fulfil it
// (docs/privacy-rights.md): website requests with their e-mail link, the operator's queue, the
// administrator's export and erasure, and the end of a tenancy.

const DAY_MS = 86_400_000;
let server: TestServer;

/** Outlook sync as its jobs run it: watchMailbox creates a change-notification subscription at Graph. */
function syncDeps() {
  return outlookSyncDeps({
    context: server.app.appContext,
    log: server.app.log,
    signal: new AbortController().signal,
    mail: { send: async () => {} } as never,
  });
}
let clock: TestClock;
let operatorCookie: string;

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' }, now: clock.now });
  await signInOperator();
});

async function signInOperator(): Promise<void> {
  const session = await createWebSession(
    server.database.db,
    { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
    clock.now(),
  );
  operatorCookie = `mailissa_operator=${session.token}`;
}
afterAll(async () => {
  await server?.close();
});

function operator(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      cookie: operatorCookie,
      'x-requested-with': 'mailissa',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

async function seedPerson(email: string): Promise<void> {
  const db = server.database.db;
  await db.query(
    `insert into newsletter_subscribers (email, status, consent_version, consent_language, signed_up_at,
       signup_ip_truncated, confirmed_at, confirm_ip_truncated)
     values ($1, 'confirmed', '2026-01', 'en', now() - interval '10 days', '203.0.113.0', now() - interval '9 days', '203.0.113.0')`,
    [email],
  );
  await db.query(
    `insert into contact_enquiries (name, email, message, language, received_at)
     values ('Erin Example', $1, 'Please send me a quote.', 'en', now())`,
    [email],
  );
}

/** Sends the website's request form and follows the mailed link; returns the page after confirming. */
async function requestOnWebsite(email: string, kind: string, details = ''): Promise<string> {
  const form = await (await fetch(`${server.baseUrl}/privacy/request?lang=en`)).text();
  const before = (await fetchCaughtMail(server.baseUrl, email)).length;
  const sent = await fetch(`${server.baseUrl}/privacy/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      lang: 'en',
      form_token: hiddenField(form, 'form_token'),
      email,
      kind,
      details,
    }),
    redirect: 'manual',
  });
  expect(sent.status).toBe(303);
  const mail = await waitForCaughtMail(server.baseUrl, email, {
    match: (caught) => caught.subject.includes('confirm'),
  });
  expect((await fetchCaughtMail(server.baseUrl, email)).length).toBe(before + 1);
  const link = /https?:\/\/\S+\/privacy\/request\/confirm\?\S+/.exec(mail.text ?? '')?.[0];
  expect(link).toBeTruthy();
  const page = await (await fetch(link ?? '')).text();
  const token = hiddenField(page, 'token');
  const confirmed = await fetch(`${server.baseUrl}/privacy/request/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'en', token }),
  });
  expect(confirmed.status).toBe(200);
  // Single use: the same link does nothing a second time.
  const again = await fetch(`${server.baseUrl}/privacy/request/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'en', token }),
  });
  expect(again.status).toBe(404);
  return confirmed.text();
}

async function requestsFor(email: string): Promise<RightsRequest[]> {
  const body = (await (await operator('/operator/api/rights-requests')).json()) as {
    requests: RightsRequest[];
  };
  return body.requests.filter((request) => request.subjectEmail === email);
}

describe('rights of people without an account (website form)', () => {
  it('Art. 15/20: exports every record keyed by the confirmed address, and the operator sees the deadline', async () => {
    const email = 'erin@example.test';
    await seedPerson(email);
    const page = await requestOnWebsite(email, 'access');
    expect(page).toContain('data-table="contact_enquiries"');
    expect(page).toContain('data-table="newsletter_subscribers"');
    expect(page).toContain('Please send me a quote.');
    const reply = await waitForCaughtMail(server.baseUrl, email, {
      match: (mail) => mail.subject === 'Your data at Mailissa',
    });
    expect(reply.text).toContain('Please send me a quote.');
    // Art. 77: the right to complain is stated on the form (EN/DE), the answer page and the reply.
    expect(page).toContain('(Art. 77 GDPR)');
    expect(reply.text).toContain('(Art. 77 GDPR)');
    const formDe = await (await fetch(`${server.baseUrl}/privacy/request?lang=de`)).text();
    expect(formDe).toContain('Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO)');

    const [request] = await requestsFor(email);
    expect(request).toMatchObject({ kind: 'access', channel: 'website', status: 'completed' });
    const confirmedAt = new Date(request?.confirmedAt ?? 0);
    const due = new Date(request?.dueAt ?? 0);
    expect(due.getTime() - confirmedAt.getTime()).toBeGreaterThanOrEqual(28 * DAY_MS);
    expect(due.getTime() - confirmedAt.getTime()).toBeLessThanOrEqual(31 * DAY_MS);
    expect(request?.identityCheck).toContain('single-use link');
  });

  it('Art. 17: erases both records, keeps the opt-in proof locked with reason and end date, and says so', async () => {
    const email = 'frank@example.test';
    await seedPerson(email);
    const page = await requestOnWebsite(email, 'erasure');
    expect(page).toMatch(/<li data-table="contact_enquiries">contact_enquiries: 1/);
    expect(page).toMatch(
      /<li data-table="newsletter_subscribers">newsletter_subscribers \(locked until \d{4}-/,
    );
    const db = server.database.db;
    expect((await db.query('select 1 from contact_enquiries where email = $1', [email])).rowCount).toBe(0);
    expect((await db.query('select 1 from newsletter_subscribers where email = $1', [email])).rowCount).toBe(
      0,
    );
    const held = await db.query<{
      source_table: string;
      hold_until: Date;
      data: { email: string; confirmed_at: string };
    }>(`select source_table, hold_until, data from held_records where subject_keys ->> 'email' = $1`, [
      email,
    ]);
    expect(held.rows).toHaveLength(1);
    expect(held.rows[0]?.source_table).toBe('newsletter_subscribers');
    expect(held.rows[0]?.data.email).toBe(email);
    const reply = await waitForCaughtMail(server.baseUrl, email, {
      match: (mail) => mail.subject.includes('erased'),
    });
    expect(reply.text).toContain('double opt-in');
    expect(reply.text).toContain('locked until');

    // A later access request shows the held proof, restricted, and nothing else of the person.
    const access = await requestOnWebsite(email, 'access');
    expect(access).toContain('data-table="newsletter_subscribers"');
    expect(access).not.toContain('data-table="contact_enquiries"');

    // When the hold ends the retention job erases the proof too. Its hold step alone: a whole run that
    // far ahead would also delete the demo tenants, whose trials have long ended by then.
    const afterHold = new Date((held.rows[0]?.hold_until ?? new Date()).getTime() + DAY_MS);
    expect(await releaseEndedHolds(db, afterHold)).toBeGreaterThanOrEqual(1);
    expect(
      (await db.query(`select 1 from held_records where subject_keys ->> 'email' = $1`, [email])).rowCount,
    ).toBe(0);
  });

  it('rejects bad input with the field named, and reveals nothing without the link', async () => {
    const form = await (await fetch(`${server.baseUrl}/privacy/request?lang=de`)).text();
    const response = await fetch(`${server.baseUrl}/privacy/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        lang: 'de',
        form_token: hiddenField(form, 'form_token'),
        email: 'not-an-address',
        kind: 'everything',
      }),
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('id="rights-email-error"');
    expect(page).toContain('id="rights-kind-error"');
    const forged = await fetch(`${server.baseUrl}/privacy/request/confirm?token=forged`);
    expect(forged.status).toBe(404);
  });
});

describe("a customer's administrator, and the end of a tenancy", () => {
  it("exports and erases a departed employee's data and sees the requests concerning the tenant's users", async () => {
    const ids = server.app.emulator.ids;
    await accessTokenFor(server, ids.demoTenantId, ids.demoUserUpn);
    await accessTokenFor(server, ids.demoTenantId, DEMO_SECOND_USER_UPN);
    const tenantId = await demoTenantId(server);
    const db = server.database.db;
    const users = await db.query<{ id: string; email: string; display_name: string }>(
      'select id, email, display_name from users where tenant_id = $1',
      [tenantId],
    );
    const anna = users.rows.find((user) => user.email === ids.demoUserUpn);
    const jonas = users.rows.find((user) => user.email === DEMO_SECOND_USER_UPN);
    const session = await createWebSession(
      db,
      { app: 'portal', tenantId, userId: anna?.id ?? '', displayName: anna?.display_name ?? '' },
      clock.now(),
    );
    const admin = { cookie: `mailissa_portal=${session.token}`, 'x-requested-with': 'mailissa' };

    const exported = await fetch(`${server.baseUrl}/portal/api/users/${jonas?.id}/data`, { headers: admin });
    expect(exported.status).toBe(200);
    const exportBody = (await exported.json()) as { tables: { table: string; rows: { email?: string }[] }[] };
    expect(exportBody.tables.find((table) => table.table === 'users')?.rows[0]?.email).toBe(
      DEMO_SECOND_USER_UPN,
    );

    const erased = await fetch(`${server.baseUrl}/portal/api/users/${jonas?.id}/data`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(erased.status).toBe(200);
    expect((await db.query('select 1 from users where id = $1', [jonas?.id])).rowCount).toBe(0);
    const missing = await fetch(`${server.baseUrl}/portal/api/users/${jonas?.id}/data`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(missing.status).toBe(404);
    const requestsBefore = await db.query('select 1 from rights_requests');
    const exportMissing = await fetch(`${server.baseUrl}/portal/api/users/${jonas?.id}/data`, {
      headers: admin,
    });
    expect(exportMissing.status).toBe(404);
    // No request recorded for a user who is not (or no longer) the tenant's.
    expect((await db.query('select 1 from rights_requests')).rowCount).toBe(requestsBefore.rowCount);

    const listed = (await (
      await fetch(`${server.baseUrl}/portal/api/rights-requests`, { headers: admin })
    ).json()) as {
      requests: RightsRequest[];
    };
    expect(listed.requests.map((request) => [request.kind, request.channel, request.requestedBy])).toEqual(
      expect.arrayContaining([
        ['access', 'administrator', ids.demoUserUpn],
        ['erasure', 'administrator', ids.demoUserUpn],
      ]),
    );
    // Requests of people outside the tenant stay invisible to it.
    expect(listed.requests.every((request) => request.tenantId === tenantId)).toBe(true);
  });

  it('exports the tenancy, and 31 days after its end a job deletes every tenant row and records it', async () => {
    const ids = server.app.emulator.ids;
    const tenantId = await demoTenantId(server);
    const db = server.database.db;
    const anna = await db.query<{ id: string; display_name: string }>(
      'select id, display_name from users where email = $1',
      [ids.demoUserUpn],
    );
    const session = await createWebSession(
      db,
      { app: 'portal', tenantId, userId: anna.rows[0]?.id ?? '', displayName: 'Anna' },
      clock.now(),
    );
    const admin = { cookie: `mailissa_portal=${session.token}`, 'x-requested-with': 'mailissa' };
    const exported = (await (
      await fetch(`${server.baseUrl}/portal/api/tenancy/export`, { headers: admin })
    ).json()) as {
      tables: { table: string; rows: unknown[] }[];
    };
    expect(exported.tables.find((table) => table.table === 'tenants')?.rows).toHaveLength(1);
    expect(exported.tables.find((table) => table.table === 'subscriptions')?.rows).toHaveLength(1);

    // What Mailissa created in the tenant's Microsoft 365: categories in Anna's mailbox (through Graph,
    // app-only, as Team does), one of which she has deleted herself since.
    const graph = server.app.appContext.graphFor(ids.demoTenantId, { profile: 'request' });
    const annaObjectId = (
      await db.query<{ entra_object_id: string }>('select entra_object_id from users where id = $1', [
        anna.rows[0]?.id,
      ])
    ).rows[0]?.entra_object_id;
    const categories = `/users/${annaObjectId}/outlook/masterCategories`;
    const category = await graph.json<{ id: string }>({
      method: 'POST',
      path: categories,
      body: { displayName: 'Mailissa: Support', color: 'preset4' },
    });
    await withTenant(db, tenantId, async (tx) => {
      await recordMicrosoftArtefact(
        tx,
        tenantId,
        {
          kind: 'master_category',
          mailboxObjectId: annaObjectId ?? '',
          graphId: category.id,
          label: 'Mailissa: Support',
        },
        clock.now(),
      );
      // One its user has deleted in Outlook meanwhile: Graph no longer knows it.
      await recordMicrosoftArtefact(
        tx,
        tenantId,
        {
          kind: 'master_category',
          mailboxObjectId: annaObjectId ?? '',
          graphId: '0b7d4f0e-5a1c-4d51-9c39-6c1d2e7f8a90',
          label: 'Mailissa: Sales',
        },
        clock.now(),
      );
    });

    // And the change-notification subscription Outlook sync created on her mailbox.
    const watched = await watchMailbox(syncDeps(), tenantId, annaObjectId ?? '');
    const subscriptionId = watched.graph_subscription_id ?? '';
    expect(server.app.emulator.subscriptions.list().map((entry) => entry.id)).toContain(subscriptionId);

    // Before confirming, the administrator sees what will be deleted, what kept, and what goes in Microsoft 365.
    const status = (await (
      await fetch(`${server.baseUrl}/portal/api/tenancy`, { headers: admin })
    ).json()) as TenancyStatus;
    expect(status.ending).toBeNull();
    expect(status.preview?.tables).toEqual(
      expect.arrayContaining([expect.objectContaining({ table: 'users', rows: expect.any(Number) })]),
    );
    expect(status.preview?.microsoftArtefacts).toEqual({ masterCategories: 2, subscriptions: 1 });

    const ended = await fetch(`${server.baseUrl}/portal/api/tenancy/end`, { method: 'POST', headers: admin });
    expect(ended.status).toBe(200);
    const endedBody = (await ended.json()) as { ending: { deleteAfter: string }; deletionDays: number };
    expect(endedBody.deletionDays).toBe(30);
    expect(
      (await fetch(`${server.baseUrl}/portal/api/tenancy/end`, { method: 'POST', headers: admin })).status,
    ).toBe(409);

    // 29 days later nothing is deleted; 31 days later everything is.
    await runRightsRetention(db, new Date(clock.now().getTime() + 29 * DAY_MS), 30);
    expect((await db.query('select 1 from tenants where id = $1', [tenantId])).rowCount).toBe(1);
    const result = await runRightsRetention(
      db,
      new Date(clock.now().getTime() + 31 * DAY_MS),
      30,
      undefined,
      server.app.appContext.graphFor,
    );
    expect(result.tenantsDeleted).toBe(1);
    // The category is gone from the mailbox; Outlook's own ones stay.
    const left = await graph.json<{ value: { id: string; displayName: string }[] }>({ path: categories });
    expect(left.value.map((entry) => entry.id)).not.toContain(category.id);
    expect(left.value.map((entry) => entry.displayName)).toContain('Red category');
    // The subscription is deleted at Microsoft: Graph no longer calls us about her mail.
    expect(server.app.emulator.subscriptions.list().map((entry) => entry.id)).not.toContain(subscriptionId);

    const tenantTables = await db.query<{ table_name: string }>(
      `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'
         and table_name not in ('rights_requests', 'held_records', 'tenant_deletion_records')`,
    );
    for (const { table_name } of tenantTables.rows) {
      const left = await db.query(`select 1 from "${table_name}" where tenant_id = $1`, [tenantId]);
      expect(left.rowCount, table_name).toBe(0);
    }
    expect((await db.query('select 1 from tenants where id = $1', [tenantId])).rowCount).toBe(0);
    const records = (await (await operator('/operator/api/tenant-deletions')).json()) as {
      deletions: {
        tenantId: string;
        reason: string;
        rowsDeleted: Record<string, number>;
        microsoftArtefacts?: unknown;
      }[];
    };
    const record = records.deletions.find((deletion) => deletion.tenantId === tenantId);
    expect(record?.reason).toBe('customer_request');
    expect(record?.rowsDeleted.tenants).toBe(1);
    expect(record?.rowsDeleted.users).toBeGreaterThanOrEqual(1);
    expect(record?.microsoftArtefacts).toEqual({
      removed: 2,
      alreadyGone: 1,
      notAllowed: 0,
      failed: 0,
      left: [],
    });
  });
});

describe('the end of a tenancy whose Microsoft 365 no longer lets Mailissa in', () => {
  it('the deletion still completes and records the subscription and category it could not remove', async () => {
    const db = server.database.db;
    const ids = server.app.emulator.ids;
    const tenantId =
      (
        await db.query<{ id: string }>('select id from tenants where microsoft_tenant_id = $1', [
          ids.secondTenantId,
        ])
      ).rows[0]?.id ?? '';
    const graph = server.app.appContext.graphFor(ids.secondTenantId, { profile: 'request' });
    const mailbox = (
      await graph.json<{ id: string }>({
        path: `/users/${encodeURIComponent(SECOND_TENANT_USER_UPN)}?$select=id`,
      })
    ).id;
    const watched = await watchMailbox(syncDeps(), tenantId, mailbox);
    const subscriptionId = watched.graph_subscription_id ?? '';
    const category = await graph.json<{ id: string }>({
      method: 'POST',
      path: `/users/${mailbox}/outlook/masterCategories`,
      body: { displayName: 'Mailissa: Legal', color: 'preset2' },
    });
    await withTenant(db, tenantId, (tx) =>
      recordMicrosoftArtefact(
        tx,
        tenantId,
        {
          kind: 'master_category',
          mailboxObjectId: mailbox,
          graphId: category.id,
          label: 'Mailissa: Legal',
        },
        clock.now(),
      ),
    );
    await db.query(
      'insert into tenancy_endings (tenant_id, requested_at, delete_after) values ($1, $2, $2)',
      [tenantId, clock.now()],
    );

    // The customer revoked Mailissa's consent: Graph refuses every removal (401, then 403).
    server.app.emulator.faults.inject({
      method: 'DELETE',
      pathPattern: /\/subscriptions\//,
      status: 401,
      times: 10,
    });
    server.app.emulator.faults.inject({
      method: 'DELETE',
      pathPattern: /\/masterCategories\//,
      status: 403,
      times: 10,
    });
    try {
      const run = await runRightsRetention(
        db,
        new Date(clock.now().getTime() + DAY_MS),
        30,
        undefined,
        server.app.appContext.graphFor,
      );
      expect(run.tenantsFailed).toBe(0);
    } finally {
      server.app.emulator.faults.clear();
    }
    expect((await db.query('select 1 from tenants where id = $1', [tenantId])).rowCount).toBe(0);
    const records = (await (await operator('/operator/api/tenant-deletions')).json()) as {
      deletions: { tenantId: string; microsoftArtefacts?: { notAllowed: number; left: string[] } }[];
    };
    const record = records.deletions.find((deletion) => deletion.tenantId === tenantId);
    expect(record?.microsoftArtefacts).toMatchObject({ removed: 0, notAllowed: 2, failed: 0 });
    expect([...(record?.microsoftArtefacts?.left ?? [])].sort()).toEqual(
      [`master_category ${category.id}: not allowed`, `subscription ${subscriptionId}: not allowed`].sort(),
    );
    // Still there at Microsoft: only the customer can remove it now, and the record tells the operator so.
    expect(server.app.emulator.subscriptions.list().map((entry) => entry.id)).toContain(subscriptionId);
  });
});

describe('the end of a subscription', () => {
  it('31 days after a subscription ended a job deletes every tenant row but the held invoices, and its record says so', async () => {
    const db = server.database.db;
    const buyer = await newBuyer(server, clock, { country: 'DE', vatId: null, name: 'Fabrikam GmbH' });
    const ended = clock.now();
    await db.query(
      `insert into subscriptions (tenant_id, account_id, plan, seats_team, seats_transfer, state, period_start,
                                  period_end, cancelled_at)
       values ($1, $2, 'suite', 5, 5, 'cancelled', $3, $4, $4)`,
      [buyer.tenantId, buyer.accountId, new Date(ended.getTime() - 30 * DAY_MS), ended],
    );
    const user = await db.query<{ id: string }>(
      `insert into users (tenant_id, entra_object_id, email, display_name)
       values ($1, gen_random_uuid(), 'lee@fabrikam.example', 'Lee') returning id`,
      [buyer.tenantId],
    );
    await withTenant(db, buyer.tenantId, (tx) =>
      recordAuditEvent(
        tx,
        buyer.tenantId,
        { userId: user.rows[0]?.id ?? '', name: 'Lee' },
        { action: 'target.renamed', subject: { type: 'target', id: 't', label: 'Contracts' } },
      ),
    );
    await db.query(
      `insert into invoices (tenant_id, account_id, number, year, sequence, kind, issued_at, service_period_start,
                             service_period_end, language, currency, net_cents, tax_cents, gross_cents,
                             tax_rate_percent, tax_treatment, buyer, buyer_email, lines, pdf, xml, paid_at)
       values ($1, $2, '2099-00001', 2099, 1, 'invoice', $3, $3, $4, 'en', 'EUR', 10000, 1900, 11900, 19,
               'standard', '{"company_name": "Fabrikam GmbH"}'::jsonb, $5, '[]'::jsonb, $6, '<Invoice/>', $3)`,
      [
        buyer.tenantId,
        buyer.accountId,
        new Date(ended.getTime() - 30 * DAY_MS),
        ended,
        buyer.email,
        Buffer.from('%PDF-1.7'),
      ],
    );

    // 29 days after the end nothing is deleted; 31 days after it the tenant's rows are gone.
    await runRightsRetention(db, new Date(ended.getTime() + 29 * DAY_MS), 30);
    expect((await db.query('select 1 from tenants where id = $1', [buyer.tenantId])).rowCount).toBe(1);
    await runRightsRetention(db, new Date(ended.getTime() + 31 * DAY_MS), 30);
    expect((await db.query('select 1 from tenants where id = $1', [buyer.tenantId])).rowCount).toBe(0);
    const tenantTables = await db.query<{ table_name: string }>(
      `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'
         and table_name not in ('rights_requests', 'held_records', 'tenant_deletion_records')`,
    );
    for (const { table_name } of tenantTables.rows) {
      const left = await db.query(`select 1 from "${table_name}" where tenant_id = $1`, [buyer.tenantId]);
      expect(left.rowCount, table_name).toBe(0);
    }
    // All that is left of the tenancy: the invoice, held for ten years, with its reason.
    const held = await db.query<{ source_table: string; reason_en: string; data: { number: string } }>(
      'select source_table, reason_en, data from held_records where tenant_id = $1',
      [buyer.tenantId],
    );
    expect(held.rows.map((row) => [row.source_table, row.data.number])).toEqual([['invoices', '2099-00001']]);
    expect(held.rows[0]?.reason_en).toContain('ten years');
    // The buyer's account stays theirs (no longer connected), and still finds the invoice by its address.
    const account = await db.query<{ tenant_id: string | null }>(
      'select tenant_id from registration_accounts where id = $1',
      [buyer.accountId],
    );
    expect(account.rows[0]?.tenant_id).toBeNull();
    const page = await fetch(`${server.baseUrl}/register/account/data`, {
      headers: { cookie: buyer.cookie },
    });
    const own = (await page.json()) as { held: { table: string }[] };
    expect(own.held.map((entry) => entry.table)).toEqual(['invoices']);

    const records = (await (await operator('/operator/api/tenant-deletions')).json()) as {
      deletions: {
        tenantId: string;
        reason: string;
        rowsDeleted: Record<string, number>;
        rowsHeld: Record<string, number>;
      }[];
    };
    const record = records.deletions.find((deletion) => deletion.tenantId === buyer.tenantId);
    expect(record).toMatchObject({ reason: 'subscription_ended', rowsHeld: { invoices: 1 } });
    expect(record?.rowsDeleted).toMatchObject({ tenants: 1, users: 1, subscriptions: 1, audit_events: 1 });
  });
});

describe("the buyer's account at the end of a subscription", () => {
  function asBuyer(buyer: Buyer, path: string, form?: Record<string, string>): Promise<Response> {
    return fetch(`${server.baseUrl}${path}`, {
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: buyer.cookie,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      redirect: 'manual',
    });
  }
  const longDate = (date: Date) =>
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(date);

  it('a trial nobody bought: the buyer sees when the data goes, exports the organisation, and 31 days on it is deleted', async () => {
    const db = server.database.db;
    const buyer = await newBuyer(server, clock, { country: 'DE', vatId: null, name: 'Tailspin Toys' });
    const trialEnd = new Date(clock.now().getTime() + DAY_MS);
    await db.query(
      `insert into subscriptions (tenant_id, account_id, plan, seats_team, seats_transfer, state, period_start, period_end)
       values ($1, $2, 'suite', 5, 5, 'trial', $3, $4)`,
      [buyer.tenantId, buyer.accountId, new Date(trialEnd.getTime() - 30 * DAY_MS), trialEnd],
    );
    const user = await db.query<{ id: string }>(
      `insert into users (tenant_id, entra_object_id, email, display_name)
       values ($1, gen_random_uuid(), 'kim@tailspin.example', 'Kim') returning id`,
      [buyer.tenantId],
    );
    await withTenant(db, buyer.tenantId, (tx) =>
      recordAuditEvent(
        tx,
        buyer.tenantId,
        { userId: user.rows[0]?.id ?? '', name: 'Kim' },
        { action: 'target.renamed', subject: { type: 'target', id: 't', label: 'Contracts' } },
      ),
    );

    // While the trial runs its administrators export in the portal; the buyer's page offers nothing.
    expect(await (await asBuyer(buyer, '/register/account?lang=en')).text()).not.toContain(
      'data-testid="organisation-data"',
    );
    expect((await asBuyer(buyer, '/register/account/organisation-data')).status).toBe(404);

    // The trial ran out yesterday (no job marks it expired): the page names the day the data goes.
    await db.query('update subscriptions set period_end = $2 where tenant_id = $1', [
      buyer.tenantId,
      new Date(clock.now().getTime() - DAY_MS),
    ]);
    const ended = new Date(clock.now().getTime() - DAY_MS);
    const page = await (await asBuyer(buyer, '/register/account?lang=en')).text();
    expect(page).toContain('data-testid="organisation-data"');
    expect(page).toContain(`are deleted on ${longDate(new Date(ended.getTime() + 30 * DAY_MS))}`);
    const exported = await asBuyer(buyer, '/register/account/organisation-data');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('mailissa-organisation.json');
    const data = (await exported.json()) as { tables: { table: string; rows: { email?: string }[] }[] };
    expect(data.tables.find((table) => table.table === 'users')?.rows.map((row) => row.email)).toEqual([
      'kim@tailspin.example',
    ]);
    expect(data.tables.find((table) => table.table === 'audit_events')?.rows).toHaveLength(1);

    await runRightsRetention(db, new Date(ended.getTime() + 29 * DAY_MS), 30);
    expect((await db.query('select 1 from tenants where id = $1', [buyer.tenantId])).rowCount).toBe(1);
    await runRightsRetention(db, new Date(ended.getTime() + 31 * DAY_MS), 30);
    expect((await db.query('select 1 from tenants where id = $1', [buyer.tenantId])).rowCount).toBe(0);
    const records = (await (await operator('/operator/api/tenant-deletions')).json()) as {
      deletions: { tenantId: string; reason: string }[];
    };
    expect(records.deletions.find((deletion) => deletion.tenantId === buyer.tenantId)?.reason).toBe(
      'subscription_ended',
    );
    expect((await asBuyer(buyer, '/register/account/organisation-data')).status).toBe(404);
  });

  it('Art. 16: the buyer corrects their name; an empty one is refused, naming the field', async () => {
    const buyer = await newBuyer(server, clock, { country: 'AT', vatId: null, name: 'Lamna Ltd' });
    const page = await (await asBuyer(buyer, '/register/account?lang=de')).text();
    const csrf = hiddenField(page, 'csrf');
    const empty = await asBuyer(buyer, '/register/account/name', { csrf, lang: 'de', full_name: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('id="account-name-error"');
    const saved = await asBuyer(buyer, '/register/account/name', {
      csrf,
      lang: 'en',
      full_name: 'Ada Lovelace-Byron',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toContain('notice=name_saved');
    const data = (await (await asBuyer(buyer, '/register/account/data')).json()) as {
      tables: { table: string; rows: { full_name?: string }[] }[];
    };
    expect(data.tables.find((table) => table.table === 'registration_accounts')?.rows[0]?.full_name).toBe(
      'Ada Lovelace-Byron',
    );
  });

  it('Art. 16: the buyer changes their sign-in address by a link mailed to the new one; the old one is told', async () => {
    const db = server.database.db;
    const buyer = await newBuyer(server, clock, { country: 'DE', vatId: null, name: 'Wingtip Toys' });
    const other = await newBuyer(server, clock, { country: 'DE', vatId: null, name: 'Northwind' });
    const emailOf = async () =>
      (
        await db.query<{ email: string }>('select email from registration_accounts where id = $1', [
          buyer.accountId,
        ])
      ).rows[0]?.email;
    const page = await (await asBuyer(buyer, '/register/account?lang=de')).text();
    expect(page).toContain('Ihre Anmelde-E-Mail-Adresse');
    const csrf = hiddenField(page, 'csrf');

    // Bad input names the field; another account's address is refused; neither changes anything.
    const bad = await asBuyer(buyer, '/register/account/email', {
      csrf,
      lang: 'en',
      email: 'not an address',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="account-email-error"');
    const taken = await asBuyer(buyer, '/register/account/email', { csrf, lang: 'en', email: other.email });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('Another Mailissa account signs in with this address.');
    // Another site cannot make the buyer's browser ask for a change.
    const crossSite = await fetch(`${server.baseUrl}/register/account/email`, {
      method: 'POST',
      headers: {
        cookie: buyer.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://attacker.example',
      },
      body: new URLSearchParams({ csrf, lang: 'en', email: 'attacker@example.net' }).toString(),
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect(await fetchCaughtMail(server.baseUrl, 'attacker@example.net')).toHaveLength(0);

    const newEmail = `renamed-${buyer.accountId.slice(0, 8)}@example.org`;
    const asked = await asBuyer(buyer, '/register/account/email', { csrf, lang: 'en', email: newEmail });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toContain('notice=email_link_sent');
    // Nothing changes before the link is used.
    expect(await emailOf()).toBe(buyer.email);
    const mailed = await waitForCaughtMail(server.baseUrl, newEmail, {
      match: (mail) => mail.subject === 'Confirm your new Mailissa sign-in address',
    });
    const link = /https?:\/\/\S+\/register\/account\/email\/confirm\?\S+/.exec(mailed.text ?? '')?.[0] ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    // Only the token's hash is stored.
    const stored = await db.query<Record<string, unknown>>(
      'select * from registration_email_changes where account_id = $1',
      [buyer.accountId],
    );
    expect(stored.rows).toHaveLength(1);
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    // Opening the link (as a mail scanner does) only shows a button.
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    // The token in the URL goes nowhere else, not even in a Referer.
    expect(opened.headers.get('referrer-policy')).toBe('strict-origin');
    expect(await opened.text()).toContain(newEmail);
    expect(await emailOf()).toBe(buyer.email);
    const confirm = (headers: Record<string, string> = {}) =>
      fetch(`${server.baseUrl}/register/account/email/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ lang: 'en', token }).toString(),
      });
    expect((await confirm({ origin: 'https://attacker.example' })).status).toBe(403);
    expect(await emailOf()).toBe(buyer.email);
    const done = await confirm({ origin: server.baseUrl });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`now signs in with ${newEmail}`);
    expect(await emailOf()).toBe(newEmail);
    const notice = await waitForCaughtMail(server.baseUrl, buyer.email, {
      match: (mail) => mail.subject === 'Your Mailissa sign-in address was changed',
    });
    expect(notice.text).toContain(newEmail);
    // Single use.
    expect((await confirm({ origin: server.baseUrl })).status).toBe(400);
    // The account page shows the new address.
    expect(await (await asBuyer(buyer, '/register/account?lang=en')).text()).toContain(`value="${newEmail}"`);

    // A link not used within 24 hours changes nothing.
    const later = `later-${buyer.accountId.slice(0, 8)}@example.org`;
    const csrfNow = hiddenField(await (await asBuyer(buyer, '/register/account?lang=en')).text(), 'csrf');
    expect(
      (await asBuyer(buyer, '/register/account/email', { csrf: csrfNow, lang: 'en', email: later })).status,
    ).toBe(303);
    const laterMail = await waitForCaughtMail(server.baseUrl, later, {
      match: (mail) => mail.subject === 'Confirm your new Mailissa sign-in address',
    });
    const laterToken =
      new URL(
        /https?:\/\/\S+\/register\/account\/email\/confirm\?\S+/.exec(laterMail.text ?? '')?.[0] ?? '',
      ).searchParams.get('token') ?? '';
    clock.advance(24 * 3_600_000 + 60_000);
    const expired = await fetch(`${server.baseUrl}/register/account/email/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
      body: new URLSearchParams({ lang: 'en', token: laterToken }).toString(),
    });
    expect(expired.status).toBe(400);
    expect(await emailOf()).toBe(newEmail);
    // The next tests' operator session would have ended in that day.
    await signInOperator();
  });
});

// Last, because it moves the server's clock months on.
describe('the operator queue', () => {
  it('Art. 16/18/21: a request handled by hand waits in the queue; extended once within its month with a mailed reason, overdue ones flagged, answered from a template', async () => {
    const email = 'gina@example.test';
    const page = await requestOnWebsite(
      email,
      'objection',
      'Please stop processing my address for statistics.',
    );
    expect(page).toContain('We will answer by');
    const [request] = await requestsFor(email);
    expect(request).toMatchObject({ kind: 'objection', status: 'open', overdue: false });

    // Three weeks on, still within the month: the operator extends Gina's request. Hugo asks too.
    clock.advance(20 * DAY_MS);
    const late = 'hugo@example.test';
    await requestOnWebsite(late, 'restriction', 'Please restrict my data while you check it.');
    // The operator signs in afresh (sessions end after 30 idle minutes).
    await signInOperator();
    const tooShort = await operator(`/operator/api/rights-requests/${request?.id}/extend`, {
      method: 'POST',
      body: { reason: 'x' },
    });
    expect(tooShort.status).toBe(400);
    const extended = await operator(`/operator/api/rights-requests/${request?.id}/extend`, {
      method: 'POST',
      body: { reason: 'Your objection concerns several systems we must check one by one.' },
    });
    expect(extended.status).toBe(200);
    const extendedBody = (await extended.json()) as RightsRequest;
    expect(new Date(extendedBody.dueAt ?? 0).getTime()).toBeGreaterThan(
      new Date(request?.dueAt ?? 0).getTime() + 58 * DAY_MS,
    );
    const mail = await waitForCaughtMail(server.baseUrl, email, {
      match: (caught) => caught.subject.includes('extended'),
    });
    expect(mail.text).toContain('several systems');
    const twice = await operator(`/operator/api/rights-requests/${request?.id}/extend`, {
      method: 'POST',
      body: { reason: 'Another reason that is long enough.' },
    });
    expect(twice.status).toBe(409);

    // A month and a day after Hugo's request: it is overdue and flagged, Gina's (extended) is not; an
    // extension now would come too late for Hugo to hear of it within the month.
    clock.advance(32 * DAY_MS);
    await signInOperator();
    const [overdue] = await requestsFor(late);
    expect(overdue?.overdue).toBe(true);
    expect((await requestsFor(email))[0]?.overdue).toBe(false);
    const tooLate = await operator(`/operator/api/rights-requests/${overdue?.id}/extend`, {
      method: 'POST',
      body: { reason: 'We need more time to check every system.' },
    });
    expect(tooLate.status).toBe(409);
    expect(((await tooLate.json()) as { error: { code: string } }).error.code).toBe(
      'rights_request_past_deadline',
    );
    expect((await requestsFor(late))[0]).toMatchObject({ extendedAt: null, overdue: true });

    const replied = await operator(`/operator/api/rights-requests/${request?.id}/reply`, {
      method: 'POST',
      body: { template: 'completed', note: 'We no longer count your visits.' },
    });
    expect(replied.status).toBe(200);
    const closed = await operator(`/operator/api/rights-requests/${request?.id}/close`, {
      method: 'POST',
      body: { status: 'completed', note: 'Objection honoured.' },
    });
    expect(((await closed.json()) as RightsRequest).status).toBe('completed');

    const detail = (await (await operator(`/operator/api/rights-requests/${request?.id}`)).json()) as {
      events: { action: string }[];
    };
    expect(detail.events.map((event) => event.action)).toEqual([
      'link_sent',
      'identity_confirmed',
      'reply_sent',
      'deadline_extended',
      'reply_sent',
      'reply_sent',
      'completed',
    ]);
    // The trail cannot be edited, not even by the server's own role.
    const db = server.database.db;
    await expect(
      db.query(`update rights_request_events set actor = 'someone else' where request_id = $1`, [
        request?.id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.query('delete from rights_request_events where request_id = $1', [request?.id]),
    ).rejects.toThrow(/append-only/);
  });
});
