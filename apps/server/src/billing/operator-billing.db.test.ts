import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField } from '../demo/emulators.js';
import {
  createTestClock,
  startTestServer,
  type TestClock,
  type TestServer,
} from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { berlinParts } from './accounting/datev-export.js';
import { type Buyer, newBuyer as newBuyerIn } from './billing-test-helpers.js';
import { enforceGracePeriod } from './enforce-grace-period.js';

/**
 * Pay on invoice, the operator's reconciliation, trial extensions and the accountant's DATEV export,
 * over real HTTP against a demo-mode server with the Stripe emulator; the clock is moved, not waited on.
 */
let server: TestServer;
let clock: TestClock;
const DAY = 86_400_000;

const newBuyer = (company: { country: string; vatId: string | null; name: string }) =>
  newBuyerIn(server, clock, company);

const accountPage = async (buyer: Buyer) =>
  (await fetch(`${server.baseUrl}/register/account?lang=en`, { headers: { cookie: buyer.cookie } })).text();

async function accountPost(buyer: Buyer, path: string, form: Record<string, string>): Promise<Response> {
  const csrf = hiddenField(await accountPage(buyer), 'csrf');
  return fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: server.baseUrl,
      cookie: buyer.cookie,
    },
    body: new URLSearchParams({ csrf, lang: 'en', ...form }).toString(),
    redirect: 'manual',
  });
}

async function buyByCard(buyer: Buyer): Promise<void> {
  const started = await accountPost(buyer, '/register/checkout', {
    plan: 'team',
    interval: 'month',
    seats: '2',
  });
  const checkoutUrl = started.headers.get('location') ?? '';
  const paid = await fetch(checkoutUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ method: 'card', card_number: '4242424242424242' }).toString(),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
}

/** A fresh operator session at the test clock's now (the clock jumps by weeks, sessions last hours). */
async function operatorCookie(): Promise<string> {
  const session = await createWebSession(
    server.database.db,
    { app: 'operator', operatorEmail: 'olga@mailissa.example', displayName: 'Olga Operator' },
    clock.now(),
  );
  return `mailissa_operator=${session.token}`;
}

async function operatorFetch(path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) {
  return fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      cookie: init.cookie ?? (await operatorCookie()),
      origin: server.baseUrl,
      'x-requested-with': 'mailissa',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

interface ListedInvoice {
  id: string;
  number: string;
  kind: string;
  tenantName: string | null;
  grossCents: number;
  paidAt: string | null;
  paymentMethod: string | null;
  dueAt: string | null;
}

async function operatorInvoices(tenantName: string): Promise<ListedInvoice[]> {
  const listed = (await (await operatorFetch('/operator/api/billing/invoices')).json()) as {
    invoices: ListedInvoice[];
  };
  return listed.invoices.filter((invoice) => invoice.tenantName === tenantName);
}

const subscriptionOf = async (tenantId: string) =>
  (
    await server.database.db.query<{
      state: string;
      collection_method: string;
      past_due_since: Date | null;
      period_end: Date;
    }>(
      'select state, collection_method, past_due_since, period_end from subscriptions where tenant_id = $1',
      [tenantId],
    )
  ).rows[0];

const advanceStripe = async () =>
  (await (
    await fetch(`${server.baseUrl}/emulator/stripe/emulator-control/advance`, { method: 'POST' })
  ).json()) as { overdue: number };

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ now: clock.now, env: { BILLING_GRACE_DAYS: '14' } });
}, 240_000);

afterAll(async () => {
  await server?.close();
});

describe('pay on invoice by bank transfer', { timeout: 120_000 }, () => {
  it('starts at once with an invoice due in 14 days naming our account; overdue, suspended, then the operator records the transfer and access returns', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Überweisung GmbH' });
    const started = await accountPost(buyer, '/register/checkout', {
      plan: 'transfer',
      interval: 'month',
      seats: '3',
      payment: 'bank_transfer',
    });
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toContain('/register/account?notice=invoice_sent');
    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({
      state: 'active',
      collection_method: 'send_invoice',
    });

    // The invoice: 3 × €6.00 + 19 % VAT, open, due in 14 days, to be paid to our IBAN (EN 16931: 58).
    const [invoice] = await operatorInvoices('Überweisung GmbH');
    expect(invoice).toMatchObject({ kind: 'invoice', grossCents: 2142, paidAt: null, paymentMethod: null });
    const dueIn = Date.parse(invoice?.dueAt ?? '') - clock.now().getTime();
    expect(Math.abs(dueIn - 14 * DAY)).toBeLessThan(60_000);
    const stored = await server.database.db.query<{ xml: string }>('select xml from invoices where id = $1', [
      invoice?.id,
    ]);
    const xml = stored.rows[0]?.xml ?? '';
    expect(xml).toContain('<ram:TypeCode>58</ram:TypeCode>');
    expect(xml).toContain(`<ram:IBANID>${server.config.accounting.bankTransfer?.iban}</ram:IBANID>`);
    expect(xml).toContain('<ram:DuePayableAmount>21.42</ram:DuePayableAmount>');

    // The customer sees the due date and where to transfer to; no card to change.
    const page = await accountPage(buyer);
    expect(page).toContain('Open — due');
    expect(page).toContain('data-testid="bank-details"');
    expect(page).toContain('DE02 1203 0000 0000 2020 51');
    expect(page).toContain('On invoice, by bank transfer');
    expect(page).not.toContain('Change payment method');

    // Not paid by the due date: overdue; the grace period runs out: suspended.
    clock.advance(15 * DAY);
    expect((await advanceStripe()).overdue).toBe(1);
    expect((await subscriptionOf(buyer.tenantId))?.state).toBe('past_due');
    clock.advance(15 * DAY);
    expect(await enforceGracePeriod(server.database.db, clock.now(), 14)).toContain(buyer.tenantId);
    expect((await subscriptionOf(buyer.tenantId))?.state).toBe('suspended');

    // The money arrives; the operator records it: paid by transfer, active again, in the audit log.
    const marked = await operatorFetch(`/operator/api/billing/invoices/${invoice?.id}/mark-paid`, {
      method: 'POST',
    });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toMatchObject({ paymentMethod: 'bank_transfer', dueAt: null });
    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({ state: 'active', past_due_since: null });
    const audit = await server.database.db.query<{
      actor_name: string;
      action: string;
      subject_label: string;
    }>('select actor_name, action, subject_label from audit_events where tenant_id = $1', [buyer.tenantId]);
    expect(audit.rows).toEqual([
      {
        actor_name: 'Mailissa (operator olga@mailissa.example)',
        action: 'invoice.marked_paid',
        subject_label: invoice?.number,
      },
    ]);
    expect(await accountPage(buyer)).not.toContain('data-testid="bank-details"');

    // Twice is refused, as is an invoice the provider collects, an unknown one, and a customer.
    const again = await operatorFetch(`/operator/api/billing/invoices/${invoice?.id}/mark-paid`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('invoice_not_payable');
    const card = await newBuyer({ country: 'DE', vatId: null, name: 'Karte GmbH' });
    await buyByCard(card);
    const [cardInvoice] = await operatorInvoices('Karte GmbH');
    expect(cardInvoice).toMatchObject({ paymentMethod: 'card', dueAt: null });
    expect(cardInvoice?.paidAt).not.toBeNull();
    expect(
      (await operatorFetch(`/operator/api/billing/invoices/${cardInvoice?.id}/mark-paid`, { method: 'POST' }))
        .status,
    ).toBe(409);
    expect(
      (await operatorFetch(`/operator/api/billing/invoices/${randomUUID()}/mark-paid`, { method: 'POST' }))
        .status,
    ).toBe(404);
    expect(
      (await operatorFetch('/operator/api/billing/invoices/not-a-uuid/mark-paid', { method: 'POST' })).status,
    ).toBe(400);
    expect(
      (
        await operatorFetch(`/operator/api/billing/invoices/${invoice?.id}/mark-paid`, {
          method: 'POST',
          cookie: buyer.cookie,
        })
      ).status,
    ).toBe(401);
    clock.advance(-30 * DAY);
  });

  it('a credit note on an invoice paid by transfer is settled outside the provider, not refunded to a card', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Gutschrift Transfer GmbH' });
    await accountPost(buyer, '/register/checkout', {
      plan: 'team',
      interval: 'month',
      seats: '1',
      payment: 'bank_transfer',
    });
    const [invoice] = await operatorInvoices('Gutschrift Transfer GmbH');
    await operatorFetch(`/operator/api/billing/invoices/${invoice?.id}/mark-paid`, { method: 'POST' });
    const credited = await operatorFetch(`/operator/api/billing/invoices/${invoice?.id}/credit-notes`, {
      method: 'POST',
      body: { reason: 'Goodwill' },
    });
    expect(credited.status).toBe(201);
    const stripe = server.app.stripeEmulator;
    const note = [...stripe.creditNotes.values()].at(-1);
    expect(note).toMatchObject({ out_of_band_amount: 476, refund_amount: 0 });
  });

  it('is refused with a 400 for an unknown payment choice', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Choice GmbH' });
    const answer = await accountPost(buyer, '/register/checkout', {
      plan: 'team',
      interval: 'month',
      seats: '1',
      payment: 'cash',
    });
    expect(answer.status).toBe(400);
    expect(await subscriptionOf(buyer.tenantId)).toBeUndefined();
  });
});

describe('trials', { timeout: 60_000 }, () => {
  it('the operator extends a trial by up to 30 days, audited; the portal shows the new end; paid ones and too much are refused', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Trial GmbH' });
    expect((await accountPost(buyer, '/register/trial', { plan: 'suite' })).status).toBe(303);
    const before = (await subscriptionOf(buyer.tenantId))?.period_end ?? new Date();

    const extend = (days: unknown, tenantId = buyer.tenantId) =>
      operatorFetch(`/operator/api/billing/subscriptions/${tenantId}/extend-trial`, {
        method: 'POST',
        body: { days },
      });
    const extended = await extend(10);
    expect(extended.status).toBe(200);
    const newEnd = new Date(before.getTime() + 10 * DAY);
    expect(await extended.json()).toMatchObject({ state: 'trial', periodEnd: newEnd.toISOString() });
    expect((await subscriptionOf(buyer.tenantId))?.period_end).toEqual(newEnd);
    const shown = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(
      newEnd,
    );
    expect(await accountPage(buyer)).toContain(shown);
    const audit = await server.database.db.query<{ action: string; after: { days: number } }>(
      `select action, after from audit_events where tenant_id = $1`,
      [buyer.tenantId],
    );
    expect(audit.rows).toEqual([{ action: 'trial.extended', after: expect.objectContaining({ days: 10 }) }]);

    // Bounded: 1 to 30 days each time, never more than 90 days ahead.
    expect((await extend(31)).status).toBe(400);
    expect((await extend(0)).status).toBe(400);
    expect((await extend('10')).status).toBe(400);
    expect((await extend(30)).status).toBe(200);
    const tooFar = await extend(30);
    expect(tooFar.status).toBe(409);
    expect(((await tooFar.json()) as { error: { code: string } }).error.code).toBe('trial_not_extendable');
    expect((await extend(5, randomUUID())).status).toBe(404);

    // A trial that has run out restarts from today.
    clock.advance(80 * DAY);
    expect((await extend(7)).status).toBe(200);
    const restarted = (await subscriptionOf(buyer.tenantId))?.period_end.getTime() ?? 0;
    expect(Math.abs(restarted - (clock.now().getTime() + 7 * DAY))).toBeLessThan(10_000);
    clock.advance(-80 * DAY);

    const paid = await newBuyer({ country: 'DE', vatId: null, name: 'Paid GmbH' });
    await buyByCard(paid);
    expect((await extend(5, paid.tenantId)).status).toBe(409);
  });
});

describe('the accountant’s DATEV export', { timeout: 60_000 }, () => {
  it('downloads the period’s invoices and credit notes as an EXTF Buchungsstapel in Windows-1252', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Bücher & Söhne GmbH' });
    await buyByCard(buyer);
    const [invoice] = await operatorInvoices('Bücher & Söhne GmbH');
    await operatorFetch(`/operator/api/billing/invoices/${invoice?.id}/credit-notes`, {
      method: 'POST',
      body: { reason: 'Test', netCents: 100 },
    });
    const reverse = await newBuyer({ country: 'AT', vatId: 'ATU12345675', name: 'Wien GmbH' });
    await buyByCard(reverse);

    // The export's days are calendar days in Germany: after 23:00 UTC (22:00 in summer) today there
    // is already tomorrow in UTC's terms.
    const { year, month, day } = berlinParts(clock.now());
    const today = `${year}-${month}-${day}`;
    const answer = await operatorFetch(`/operator/api/billing/datev-export?from=${today}&to=${today}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=windows-1252');
    expect(answer.headers.get('content-disposition')).toContain('EXTF_Buchungsstapel_');
    const bytes = Buffer.from(await answer.arrayBuffer());
    // ü is one byte (0xFC) in Windows-1252, not UTF-8's two.
    expect(bytes.includes(Buffer.from([0x42, 0xfc, 0x63, 0x68]))).toBe(true);
    const lines = iconv.decode(bytes, 'win1252').split('\r\n');
    expect(lines[0]).toMatch(/^"EXTF";700;21;"Buchungsstapel";13;\d{17};;"RE";/);
    expect(lines[0]?.split(';')).toHaveLength(31);
    expect(lines[1]?.startsWith('"Umsatz (ohne Soll/Haben-Kz)";"Soll/Haben-Kennzeichen"')).toBe(true);
    const booking = (number: string) => lines.find((line) => line.includes(`"${number}"`))?.split(';') ?? [];
    // 2 × €4.00 + 19 % = €9.52 owed by the customer, on the debtor account against 8400.
    expect(booking(invoice?.number ?? '').slice(0, 11)).toEqual([
      '9,52',
      '"S"',
      '"EUR"',
      '',
      '',
      '',
      '10000',
      '8400',
      '',
      `${today.slice(8, 10)}${today.slice(5, 7)}`,
      `"${invoice?.number}"`,
    ]);
    const [note] = (await operatorInvoices('Bücher & Söhne GmbH')).filter(
      (entry) => entry.kind === 'credit_note',
    );
    expect(booking(note?.number ?? '').slice(0, 2)).toEqual(['1,19', '"H"']);
    const [atInvoice] = await operatorInvoices('Wien GmbH');
    const at = booking(atInvoice?.number ?? '');
    expect([at[7], at.at(-1)]).toEqual(['8336', '"ATU12345675"']);

    // A period before the first invoice has the two header lines only; bad periods are refused.
    const empty = await operatorFetch('/operator/api/billing/datev-export?from=2001-01-01&to=2001-01-31');
    expect(iconv.decode(Buffer.from(await empty.arrayBuffer()), 'win1252').split('\r\n')).toHaveLength(3);
    for (const query of [
      'from=2026-02-01&to=2026-01-01',
      'from=2025-12-01&to=2026-01-31',
      'from=2026-02-30&to=2026-03-01',
      'from=yesterday&to=2026-03-01',
      'to=2026-03-01',
    ])
      expect((await operatorFetch(`/operator/api/billing/datev-export?${query}`)).status).toBe(400);
    expect(
      (
        await operatorFetch(`/operator/api/billing/datev-export?from=${today}&to=${today}`, {
          cookie: buyer.cookie,
        })
      ).status,
    ).toBe(401);
  });
});
