import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField, stripeSignature, waitForCaughtMail } from '../demo/emulators.js';
import { createRegistrationSession, REGISTRATION_COOKIE } from '../registration/registration-sessions.js';
import {
  createTestClock,
  startTestServer,
  type TestClock,
  type TestServer,
} from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { createBillingServices } from './billing-services.js';
import { nextInvoiceNumber } from './invoices/issue-invoice.js';

/**
 * Buying over real HTTP against a demo-mode server: the registration portal, the Stripe emulator's
 * hosted checkout with Stripe's test card and IBAN numbers, its signed webhooks to the product, the
 * VIES emulator, and the clock moved instead of waiting for renewals, retries and grace periods.
 */
let server: TestServer;
let clock: TestClock;
const DAY = 86_400_000;

interface Buyer {
  accountId: string;
  tenantId: string;
  email: string;
  cookie: string;
}

async function newBuyer(company: { country: string; vatId: string | null; name: string }): Promise<Buyer> {
  const db = server.database.db;
  const email = `buyer-${randomUUID().slice(0, 8)}@example.com`;
  const tenant = await db.query<{ id: string }>(
    'insert into tenants (microsoft_tenant_id, name, admin_consent_at) values ($1, $2, now()) returning id',
    [randomUUID(), company.name],
  );
  const tenantId = tenant.rows[0]?.id ?? '';
  const account = await db.query<{ id: string }>(
    `insert into registration_accounts (email, full_name, language, created_at, email_confirmed_at, tenant_id,
        tenant_connected_at, company_name, street, postal_code, city, country, vat_id, invoice_email, company_updated_at)
     values ($1, 'Ada Buyer', 'en', $2, $2, $3, $2, $4, 'Main Street 1', '1010', 'Town', $5, $6, $1, $2)
     returning id`,
    [email, clock.now(), tenantId, company.name, company.country, company.vatId],
  );
  const accountId = account.rows[0]?.id ?? '';
  const session = await createRegistrationSession(db, accountId, clock.now());
  return { accountId, tenantId, email, cookie: `${REGISTRATION_COOKIE}=${session.token}` };
}

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
