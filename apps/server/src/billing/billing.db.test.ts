import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField, stripeSignature, waitForCaughtMail } from '../demo/emulators.js';
import type { MailSender, OutgoingMail } from '../mail/mail.schemas.js';
import { createRegistrationSession, REGISTRATION_COOKIE } from '../registration/registration-sessions.js';
import {
  createTestClock,
  startTestServer,
  type TestClock,
  type TestServer,
} from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { createBillingServices } from './billing-services.js';
import { type Buyer, newBuyer as newBuyerIn } from './billing-test-helpers.js';
import { nextInvoiceNumber } from './invoices/issue-invoice.js';
import { mailIssuedDocument } from './invoices/mail-issued-document.js';

/**
 * Buying over real HTTP against a demo-mode server: the registration portal, the Stripe emulator's
 * hosted checkout with Stripe's test card and IBAN numbers, its signed webhooks to the product, the
 * VIES emulator, and the clock moved instead of waiting for renewals, retries and grace periods.
 */
let server: TestServer;
let clock: TestClock;
const DAY = 86_400_000;

const newBuyer = (company: { country: string; vatId: string | null; name: string }) =>
  newBuyerIn(server, clock, company);

async function get(buyer: Buyer, path: string): Promise<Response> {
  return fetch(new URL(path, server.baseUrl), { headers: { cookie: buyer.cookie }, redirect: 'manual' });
}

async function post(buyer: Buyer | null, url: string, form: Record<string, string>): Promise<Response> {
  return fetch(new URL(url, server.baseUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: server.baseUrl,
      ...(buyer ? { cookie: buyer.cookie } : {}),
    },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

async function accountPost(buyer: Buyer, path: string, form: Record<string, string>): Promise<Response> {
  const page = await (await get(buyer, '/register/account?lang=en')).text();
  return post(buyer, path, { csrf: hiddenField(page, 'csrf'), lang: 'en', ...form });
}

/** Chooses plan, term and seats, and pays on the emulator's hosted page; answers the page's reply. */
async function buy(
  buyer: Buyer,
  payment: { card?: string; iban?: string },
  order = { plan: 'transfer', interval: 'month', seats: '5' },
): Promise<Response> {
  const started = await accountPost(buyer, '/register/checkout', order);
  expect(started.status).toBe(303);
  const checkoutUrl = started.headers.get('location') ?? '';
  expect(checkoutUrl).toContain('/emulator/stripe/c/pay/cs_test_');
  const page = await fetch(checkoutUrl);
  expect(page.status).toBe(200);
  return post(
    null,
    checkoutUrl,
    payment.iban
      ? { method: 'sepa_debit', iban: payment.iban }
      : { method: 'card', card_number: payment.card ?? '' },
  );
}

async function subscriptionOf(tenantId: string) {
  const found = await server.database.db.query<{
    state: string;
    plan: string;
    seats_team: number;
    seats_transfer: number;
    billing_interval: string | null;
    past_due_since: Date | null;
    cancel_at_period_end: boolean;
  }>(
    `select state, plan, seats_team, seats_transfer, billing_interval, past_due_since, cancel_at_period_end
       from subscriptions where tenant_id = $1`,
    [tenantId],
  );
  return found.rows[0];
}

async function invoicesOf(tenantId: string) {
  const found = await server.database.db.query<{
    id: string;
    number: string;
    net_cents: string;
    tax_cents: string;
    gross_cents: string;
    tax_treatment: string;
    xml: string;
    paid_at: Date | null;
  }>(
    'select id, number, net_cents, tax_cents, gross_cents, tax_treatment, xml, paid_at from invoices where tenant_id = $1 order by sequence',
    [tenantId],
  );
  return found.rows.map((row) => ({
    ...row,
    net: Number(row.net_cents),
    tax: Number(row.tax_cents),
    gross: Number(row.gross_cents),
  }));
}

const advanceStripe = async () =>
  (await fetch(`${server.baseUrl}/emulator/stripe/emulator-control/advance`, { method: 'POST' })).json();

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({
    now: clock.now,
    env: { BILLING_GRACE_DAYS: '14', OPERATOR_VAT_ID: 'DE136695976' },
  });
}, 240_000);

afterAll(async () => {
  await server?.close();
});

describe('buying a subscription', { timeout: 120_000 }, () => {
  it('a German customer pays by card: active subscription with the seats bought, an invoice with 19 % VAT as PDF', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Contoso GmbH' });
    const page = await (await get(buyer, '/register/account?lang=de')).text();
    expect(page).toContain('Abonnement kaufen');
    expect(page).toContain('zzgl. 19 % USt.');
    const paid = await buy(buyer, { card: '4242 4242 4242 4242' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toContain('/register/account?notice=payment_done');

    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({
      state: 'active',
      plan: 'transfer',
      seats_team: 0,
      seats_transfer: 5,
      billing_interval: 'month',
    });
    const [invoice, ...more] = await invoicesOf(buyer.tenantId);
    expect(more).toHaveLength(0);
    expect(invoice).toMatchObject({ net: 3000, tax: 570, gross: 3570, tax_treatment: 'standard' });
    expect(invoice?.number).toMatch(/^\d{4}-\d{5}$/);
    expect(invoice?.paid_at).not.toBeNull();
    expect(invoice?.xml).toContain('<ram:CategoryCode>S</ram:CategoryCode>');

    const account = await (await get(buyer, '/register/account?lang=en')).text();
    expect(account).toContain('Your paid subscription');
    expect(account).toContain(invoice?.number ?? '-');
    const pdf = await get(buyer, `/register/invoices/${invoice?.id}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    // Another account cannot fetch it.
    const stranger = await newBuyer({ country: 'DE', vatId: null, name: 'Other GmbH' });
    expect((await get(stranger, `/register/invoices/${invoice?.id}.pdf`)).status).toBe(404);

    // Two more seats: the provider prorates, our row follows its webhook; the portal enforces 7.
    const changed = await accountPost(buyer, '/register/seats', { seats: '7' });
    expect(changed.headers.get('location')).toContain('notice=seats_changed');
    expect((await subscriptionOf(buyer.tenantId))?.seats_transfer).toBe(7);

    // Cancel at the end of the term: still active until then, cancelled after the renewal date.
    await accountPost(buyer, '/register/subscription/cancel', {});
    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({
      state: 'active',
      cancel_at_period_end: true,
    });
  });

  it('a declined card leaves nothing bought', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Declined GmbH' });
    const declined = await buy(buyer, { card: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    expect(await subscriptionOf(buyer.tenantId)).toBeUndefined();
    expect(await invoicesOf(buyer.tenantId)).toHaveLength(0);
  });

  it('an Austrian business with a VAT id VIES confirms gets a reverse-charge invoice; a Swiss one no German VAT', async () => {
    const austrian = await newBuyer({ country: 'AT', vatId: 'ATU12345675', name: 'Fabrikam GmbH' });
    expect((await buy(austrian, { card: '4242424242424242' })).status).toBe(303);
    const [reverse] = await invoicesOf(austrian.tenantId);
    expect(reverse).toMatchObject({ net: 3000, tax: 0, gross: 3000, tax_treatment: 'reverse_charge' });
    expect(reverse?.xml).toContain('<ram:CategoryCode>AE</ram:CategoryCode>');
    const proof = await server.database.db.query<{ valid: boolean; request_identifier: string | null }>(
      'select valid, request_identifier from vat_checks where account_id = $1',
      [austrian.accountId],
    );
    expect(proof.rows).toEqual([{ valid: true, request_identifier: expect.stringMatching(/^WAPI/) }]);

    const swiss = await newBuyer({ country: 'CH', vatId: null, name: 'Helvetia AG' });
    expect((await buy(swiss, { card: '4242424242424242' })).status).toBe(303);
    const [outside] = await invoicesOf(swiss.tenantId);
    expect(outside).toMatchObject({ tax: 0, tax_treatment: 'outside_eu' });
  });

  it('keeps the order pending when VIES cannot be reached, and refuses a VAT id VIES does not know', async () => {
    const dutch = await newBuyer({ country: 'NL', vatId: 'NL004495445B01', name: 'Tailspin B.V.' });
    server.app.viesEmulator.unavailable.add('NL');
    try {
      const pending = await accountPost(dutch, '/register/checkout', {
        plan: 'team',
        interval: 'year',
        seats: '3',
      });
      expect(pending.headers.get('location')).toContain('notice=vat_pending');
    } finally {
      server.app.viesEmulator.unavailable.delete('NL');
    }
    const french = await newBuyer({ country: 'FR', vatId: 'FR40303265045', name: 'Unknown SARL' });
    await server.database.db.query(
      "update registration_accounts set vat_id = 'FR83404833048' where id = $1",
      [french.accountId],
    );
    const refused = await accountPost(french, '/register/checkout', {
      plan: 'team',
      interval: 'month',
      seats: '3',
    });
    expect(refused.headers.get('location')).toContain('notice=vat_invalid');
    expect(await subscriptionOf(french.tenantId)).toBeUndefined();
  });

  it('a failing direct debit leads to dunning mails, suspension after the grace period, and back on payment', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Debit GmbH' });
    expect((await buy(buyer, { iban: 'DE62 3704 0044 0532 0130 01' })).status).toBe(303);
    expect((await subscriptionOf(buyer.tenantId))?.state).toBe('active');
    // The debit fails when it settles: overdue, a reminder mail, still working.
    await advanceStripe();
    const overdue = await subscriptionOf(buyer.tenantId);
    expect(overdue?.state).toBe('past_due');
    const reminder = await waitForCaughtMail(server.baseUrl, buyer.email);
    expect(reminder.subject).toBe('Mailissa: payment failed');
    expect(reminder.text).toContain('attempt 1');
    expect(await invoicesOf(buyer.tenantId)).toHaveLength(0);

    // Retries after 3 and 5 more days fail too; the grace period (14 days) has not run out.
    clock.advance(3 * DAY + 60_000);
    await advanceStripe();
    clock.advance(5 * DAY);
    await advanceStripe();
    expect((await subscriptionOf(buyer.tenantId))?.state).toBe('past_due');
    // Day 15: the grace period is over — suspended, configuration kept.
    clock.advance(7 * DAY);
    const { enforceGracePeriod } = await import('./enforce-grace-period.js');
    const suspended = await enforceGracePeriod(server.database.db, clock.now(), 14);
    expect(suspended).toContain(buyer.tenantId);
    expect((await subscriptionOf(buyer.tenantId))?.state).toBe('suspended');

    // The customer pays by bank transfer; the operator records it at the provider: active again.
    const services = createBillingServices(server.config);
    const openInvoices = await fetch(
      `${server.config.billing.stripe?.apiBase}/v1/invoices?customer=${encodeURIComponent(
        (
          await server.database.db.query<{ provider_customer_id: string }>(
            'select provider_customer_id from registration_accounts where id = $1',
            [buyer.accountId],
          )
        ).rows[0]?.provider_customer_id ?? '',
      )}`,
      { headers: { authorization: `Bearer ${server.config.billing.stripe?.secretKey}` } },
    );
    const open = ((await openInvoices.json()) as { data: Array<{ id: string; status: string }> }).data.find(
      (invoice) => invoice.status === 'open',
    );
    await services.provider?.markInvoicePaidOutOfBand(open?.id ?? '', `test-${randomUUID()}`);
    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({ state: 'active', past_due_since: null });
    expect(await invoicesOf(buyer.tenantId)).toHaveLength(1);
    clock.advance(-(15 * DAY + 60_000));
  });
});

describe('the operator console', { timeout: 60_000 }, () => {
  it('lists subscriptions with failed payments first and the invoices issued, with their PDFs; others get 401', async () => {
    const overdue = await newBuyer({ country: 'DE', vatId: null, name: 'Overdue GmbH' });
    expect((await buy(overdue, { iban: 'DE62370400440532013001' })).status).toBe(303);
    await advanceStripe();
    const session = await createWebSession(
      server.database.db,
      { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
      new Date(),
    );
    const operator = (path: string) =>
      fetch(`${server.baseUrl}${path}`, { headers: { cookie: `mailissa_operator=${session.token}` } });
    const subscriptions = (await (await operator('/operator/api/billing/subscriptions')).json()) as {
      subscriptions: Array<{ tenantId: string; state: string; paid: boolean }>;
    };
    expect(subscriptions.subscriptions[0]).toMatchObject({
      tenantId: overdue.tenantId,
      state: 'past_due',
      paid: true,
    });
    const invoices = (await (await operator('/operator/api/billing/invoices')).json()) as {
      invoices: Array<{ id: string; number: string; grossCents: number; taxTreatment: string }>;
    };
    expect(invoices.invoices.length).toBeGreaterThanOrEqual(4);
    expect(invoices.invoices.map((invoice) => invoice.taxTreatment)).toEqual(
      expect.arrayContaining(['standard', 'reverse_charge', 'outside_eu']),
    );
    const pdf = await operator(`/operator/api/billing/invoices/${invoices.invoices[0]?.id}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await fetch(`${server.baseUrl}/operator/api/billing/invoices`)).status).toBe(401);
  });
});

/** A mail sender that keeps what it is given (the exactly-once logic is the unit here, not SMTP). */
function recordingSender(): MailSender & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
      return { messageId: mail.messageId ?? '' };
    },
    close() {},
  };
}

async function operatorCookie(): Promise<string> {
  const session = await createWebSession(
    server.database.db,
    { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
    new Date(),
  );
  return `mailissa_operator=${session.token}`;
}

async function creditNote(cookie: string, invoiceId: string, body: object): Promise<Response> {
  return fetch(`${server.baseUrl}/operator/api/billing/invoices/${invoiceId}/credit-notes`, {
    method: 'POST',
    headers: {
      cookie,
      origin: server.baseUrl,
      'x-requested-with': 'mailissa',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

/** Every caught mail to `to` whose subject starts so, with the bytes of its first attachment. */
async function mailsTo(to: string, subject: string) {
  const { fetchCaughtMail } = await import('../demo/emulators.js');
  const found = (await fetchCaughtMail(server.baseUrl, to)).filter((mail) =>
    mail.subject.startsWith(subject),
  );
  return Promise.all(
    found.map(async (mail) => ({
      ...mail,
      pdf:
        mail.attachments.length > 0
          ? Buffer.from(
              await (await fetch(`${server.baseUrl}/emulator/mail/${mail.id}/attachments/0`)).arrayBuffer(),
            )
          : null,
    })),
  );
}

describe('invoice mails and credit notes', { timeout: 120_000 }, () => {
  it('mails each invoice with its PDF once; the operator refunds part and then the rest by credit notes of their own series', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Refund GmbH' });
    expect((await buy(buyer, { card: '4242424242424242' })).status).toBe(303);
    const [invoice] = await invoicesOf(buyer.tenantId);
    if (!invoice) throw new Error('no invoice issued');

    // The invoice mail: to the invoice address, the PDF attached byte for byte as issued.
    await waitForCaughtMail(server.baseUrl, buyer.email, {
      match: (mail) => mail.subject === `Mailissa: invoice ${invoice.number}`,
    });
    const [mailed, ...twice] = await mailsTo(buyer.email, 'Mailissa: invoice');
    expect(twice).toHaveLength(0);
    expect(mailed?.attachments).toEqual([
      {
        filename: `Mailissa-${invoice.number}.pdf`,
        contentType: 'application/pdf',
        size: expect.any(Number),
      },
    ]);
    const stored = await server.database.db.query<{ pdf: Buffer; mailed_at: Date | null }>(
      'select pdf, mailed_at from invoices where id = $1',
      [invoice.id],
    );
    expect(mailed?.pdf?.equals(stored.rows[0]?.pdf ?? Buffer.alloc(0))).toBe(true);
    expect(stored.rows[0]?.mailed_at).not.toBeNull();
    expect(mailed?.text).toContain(`attached is our invoice ${invoice.number}`);
    // A retried job finds it sent and sends nothing.
    const recorder = recordingSender();
    const deps = { db: server.database.db, mail: recorder, publicBaseUrl: server.config.publicBaseUrl };
    expect(await mailIssuedDocument(deps, invoice.id, clock.now())).toBe('already_sent');
    expect(recorder.sent).toHaveLength(0);

    // Part of it: 6 € net back, 19 % VAT on top, refunded through the provider.
    const cookie = await operatorCookie();
    const partial = await creditNote(cookie, invoice.id, { reason: 'One user billed twice', netCents: 600 });
    expect(partial.status).toBe(201);
    const first = (await partial.json()) as {
      id: string;
      number: string;
      kind: string;
      correctsNumber: string;
      netCents: number;
      taxCents: number;
      grossCents: number;
    };
    expect(first).toMatchObject({
      kind: 'credit_note',
      correctsNumber: invoice.number,
      netCents: 600,
      taxCents: 114,
      grossCents: 714,
    });
    expect(first.number).toMatch(/^CN-\d{4}-\d{5}$/);
    const providerInvoice = await server.database.db.query<{ provider_invoice_id: string }>(
      'select provider_invoice_id from invoices where id = $1',
      [invoice.id],
    );
    const refunded = () =>
      server.app.stripeEmulator.refunded.get(providerInvoice.rows[0]?.provider_invoice_id ?? '');
    expect(refunded()).toBe(714);

    // More than is left, no reason, a credit note of a credit note: refused, nothing written.
    const tooMuch = await creditNote(cookie, invoice.id, { reason: 'x', netCents: 2401 });
    expect(tooMuch.status).toBe(400);
    expect(((await tooMuch.json()) as { error: { message: string } }).error.message).toContain('netCents');
    expect((await creditNote(cookie, invoice.id, { reason: ' ' })).status).toBe(400);
    const ofCredit = await creditNote(cookie, first.id, { reason: 'again' });
    expect(ofCredit.status).toBe(409);
    expect(((await ofCredit.json()) as { error: { code: string } }).error.code).toBe(
      'invoice_not_creditable',
    );
    expect(refunded()).toBe(714);

    // The rest; then nothing is left to credit.
    const rest = await creditNote(cookie, invoice.id, { reason: 'Subscription ended early' });
    const second = (await rest.json()) as { number: string; netCents: number; grossCents: number };
    expect(second.netCents).toBe(2400);
    expect(refunded()).toBe(invoice.gross);
    const sequenceOf = (number: string) => Number(number.slice(-5));
    expect(sequenceOf(second.number)).toBe(sequenceOf(first.number) + 1);
    const none = await creditNote(cookie, invoice.id, { reason: 'once more' });
    expect(none.status).toBe(409);

    // Its XML is a credit note (381) on the invoice; it is mailed; it is listed with the invoices.
    const xml = await server.database.db.query<{ xml: string; kind: string }>(
      'select xml, kind from invoices where id = $1',
      [first.id],
    );
    expect(xml.rows[0]?.xml).toContain('<ram:TypeCode>381</ram:TypeCode>');
    expect(xml.rows[0]?.xml).toContain(`<ram:IssuerAssignedID>${invoice.number}</ram:IssuerAssignedID>`);
    const creditMail = await waitForCaughtMail(server.baseUrl, buyer.email, {
      match: (mail) => mail.subject === `Mailissa: credit note ${first.number}`,
    });
    expect(creditMail.attachments[0]?.filename).toBe(`Mailissa-${first.number}.pdf`);
    const portal = await (await get(buyer, '/register/account?lang=en')).text();
    expect(portal).toContain(`Credit note ${first.number} (on invoice ${invoice.number})`);
    const listed = (await (
      await fetch(`${server.baseUrl}/operator/api/billing/invoices`, { headers: { cookie } })
    ).json()) as { invoices: Array<{ number: string; creditableNetCents: number }> };
    expect(listed.invoices.find((entry) => entry.number === invoice.number)?.creditableNetCents).toBe(0);
  });

  it('a mail that fails is sent by the retry, and only once', async () => {
    const buyer = await newBuyer({ country: 'AT', vatId: 'ATU12345675', name: 'Retry GmbH' });
    await server.database.db.query(
      "update registration_accounts set invoice_email = 'retry-' || email where id = $1",
      [buyer.accountId],
    );
    expect((await buy(buyer, { card: '4242424242424242' })).status).toBe(303);
    const [invoice] = await invoicesOf(buyer.tenantId);
    // Taken back to unsent, as if the first attempt had failed before the SMTP server accepted it.
    const address = `retry-${buyer.email}`;
    await waitForCaughtMail(server.baseUrl, address);
    const failing = {
      send: async () => {
        throw new Error('SMTP connection lost');
      },
      close() {},
    };
    const deps = { db: server.database.db, publicBaseUrl: server.config.publicBaseUrl };
    await server.database.db.query('alter table invoices disable trigger invoices_immutable');
    await server.database.db.query('update invoices set mailed_at = null where id = $1', [invoice?.id]);
    await server.database.db.query('alter table invoices enable trigger invoices_immutable');
    await expect(
      mailIssuedDocument({ ...deps, mail: failing }, invoice?.id ?? '', clock.now()),
    ).rejects.toThrow('SMTP connection lost');
    const unsent = await server.database.db.query<{ mailed_at: Date | null }>(
      'select mailed_at from invoices where id = $1',
      [invoice?.id],
    );
    expect(unsent.rows[0]?.mailed_at).toBeNull();
    // The retry, twice at once (a redelivered job): one of them sends, the other finds it sent.
    const recorder = recordingSender();
    const results = await Promise.all([
      mailIssuedDocument({ ...deps, mail: recorder }, invoice?.id ?? '', clock.now()),
      mailIssuedDocument({ ...deps, mail: recorder }, invoice?.id ?? '', clock.now()),
    ]);
    expect(results.sort()).toEqual(['already_sent', 'sent']);
    expect(recorder.sent).toHaveLength(1);
    expect(recorder.sent[0]).toMatchObject({
      to: address,
      subject: `Mailissa: invoice ${invoice?.number}`,
      messageId: `<invoice-${invoice?.id}@${new URL(server.config.publicBaseUrl).hostname}>`,
    });
    expect(recorder.sent[0]?.attachments?.[0]?.contentType).toBe('application/pdf');
  });
});

describe('switching plan or term, and the payment method', { timeout: 120_000 }, () => {
  it('Transfer → Suite within the month is prorated onto the next invoice; monthly → yearly is invoiced at once', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'Switch GmbH' });
    expect((await buy(buyer, { card: '4242424242424242' })).status).toBe(303);
    const page = await (await get(buyer, '/register/account?lang=de')).text();
    expect(page).toContain('Plan oder Laufzeit wechseln');
    expect(page).toContain('Zahlungsart ändern');
    // Ten days into the month, signed in again (the first session has ended meanwhile).
    clock.advance(10 * DAY);
    const session = await createRegistrationSession(server.database.db, buyer.accountId, clock.now());
    buyer.cookie = `${REGISTRATION_COOKIE}=${session.token}`;

    const same = await accountPost(buyer, '/register/plan', { plan: 'transfer', interval: 'month' });
    expect(same.headers.get('location')).toContain('notice=plan_unchanged');
    const bad = await accountPost(buyer, '/register/plan', { plan: 'gold', interval: 'month' });
    expect(bad.status).toBe(400);

    const suite = await accountPost(buyer, '/register/plan', { plan: 'suite', interval: 'month' });
    expect(suite.headers.get('location')).toContain('notice=plan_changed');
    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({
      plan: 'suite',
      seats_team: 5,
      seats_transfer: 5,
      billing_interval: 'month',
    });
    // Nothing invoiced yet: the difference waits for the next invoice.
    expect(await invoicesOf(buyer.tenantId)).toHaveLength(1);

    const yearly = await accountPost(buyer, '/register/plan', { plan: 'suite', interval: 'year' });
    expect(yearly.headers.get('location')).toContain('notice=plan_changed');
    expect((await subscriptionOf(buyer.tenantId))?.billing_interval).toBe('year');
    const [, switched, ...more] = await invoicesOf(buyer.tenantId);
    expect(more).toHaveLength(0);
    const lines = (
      await server.database.db.query<{ lines: Array<{ netCents: number; description: string }> }>(
        'select lines from invoices where id = $1',
        [switched?.id],
      )
    ).rows[0]?.lines;
    // The year of Suite for 5 users, less the unused time: 5 × 85 € and the credits of the month.
    expect(lines?.map((line) => line.netCents)).toContain(5 * 8500);
    expect(lines?.some((line) => line.netCents < 0)).toBe(true);
    expect(lines?.find((line) => line.netCents === 5 * 8500)?.description).toBe(
      'Mailissa Suite, 5 users / year',
    );
    expect(switched?.net).toBe(lines?.reduce((sum, line) => sum + line.netCents, 0));
    expect(switched?.net).toBeLessThan(5 * 8500);
    expect(switched?.tax).toBe(Math.round((switched?.net ?? 0) * 0.19));
    clock.advance(-10 * DAY);
  });

  it('an overdue direct debit is paid at the next retry after the buyer enters a working card on the provider page', async () => {
    const buyer = await newBuyer({ country: 'DE', vatId: null, name: 'New Card GmbH' });
    expect((await buy(buyer, { iban: 'DE62370400440532013001' })).status).toBe(303);
    await advanceStripe();
    expect((await subscriptionOf(buyer.tenantId))?.state).toBe('past_due');

    const started = await accountPost(buyer, '/register/payment-method', {});
    expect(started.status).toBe(303);
    const portal = started.headers.get('location') ?? '';
    expect(portal).toContain('/emulator/stripe/p/session/bps_');
    const form = await (await fetch(portal)).text();
    expect(form).toContain('SEPA Direct Debit •••• 3001');
    const declined = await post(null, portal, { method: 'card', card_number: '4000000000000002' });
    expect(declined.status).toBe(402);
    const saved = await post(null, portal, { method: 'card', card_number: '5555 5555 5555 4444' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toContain('/register/account?notice=payment_method_updated');
    expect(await (await get(buyer, saved.headers.get('location') ?? '')).text()).toContain(
      'Your payment method was saved',
    );

    clock.advance(3 * DAY + 60_000);
    await advanceStripe();
    expect(await subscriptionOf(buyer.tenantId)).toMatchObject({ state: 'active', past_due_since: null });
    expect(await invoicesOf(buyer.tenantId)).toHaveLength(1);
    clock.advance(-(3 * DAY + 60_000));
  });
});

describe('the webhook', { timeout: 60_000 }, () => {
  it('refuses an unsigned or wrongly signed event and applies a redelivered one once', async () => {
    const events = (await (
      await fetch(`${server.baseUrl}/emulator/stripe/emulator-control/events`)
    ).json()) as {
      data: Array<{ id: string; type: string }>;
    };
    const event = events.data.find((candidate) => candidate.type === 'invoice.paid');
    expect(event).toBeDefined();
    const payload = JSON.stringify(event);
    const send = (signature: string) =>
      fetch(`${server.baseUrl}/api/billing/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await send(stripeSignature(payload, 'whsec_not_the_secret', now));
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'webhook_signature_invalid',
    );
    const stale = await send(
      stripeSignature(payload, server.config.billing.stripe?.webhookSecret ?? '', now - 3600),
    );
    expect(stale.status).toBe(400);
    const redelivered = await send(
      stripeSignature(payload, server.config.billing.stripe?.webhookSecret ?? '', now),
    );
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toEqual({ received: true, outcome: 'duplicate' });
  });
});

describe('invoice numbers', { timeout: 60_000 }, () => {
  it('stay gapless and unique under concurrent issuing, also when one issue rolls back', async () => {
    const db = server.database.db;
    const year = 2999;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) =>
        db.transaction(async (tx) => {
          const taken = await nextInvoiceNumber(tx, year);
          if (index === 5) throw new Error('issue failed after taking a number');
          return taken.sequence;
        }),
      ),
    );
    const sequences = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(sequences).toHaveLength(11);
    expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, index) => index + 1));
    // Credit notes count in a series of their own.
    const credit = await db.transaction((tx) => nextInvoiceNumber(tx, year, 'credit_note'));
    expect(credit).toEqual({ number: 'CN-2999-00001', sequence: 1 });
  });

  it('issued invoices cannot be changed', async () => {
    const any = await server.database.db.query<{ id: string }>('select id from invoices limit 1');
    await expect(
      server.database.db.query('update invoices set net_cents = net_cents + 1 where id = $1', [
        any.rows[0]?.id,
      ]),
    ).rejects.toThrow(/cannot be changed/);
  });
});
