import { randomUUID } from 'node:crypto';
import type { BankTransferDetails } from '../config/accounting.config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { Interval, PaymentProvider } from './payments/payment-provider.js';
import { findPlan, type PlanId } from './plans.js';
import { decideVat, needsViesCheck, type VatDecision } from './tax/vat-treatment.js';
import type { VatChecker } from './tax/vies-client.js';

export const MAX_SEATS = 1000;

export interface CheckoutDeps {
  db: Database;
  provider: PaymentProvider;
  checkVat: VatChecker;
  publicBaseUrl: string;
  /** The account buyers paying on invoice transfer to; null: pay on invoice is not offered. */
  bankTransfer: BankTransferDetails | null;
}

/** On the provider's page by card or SEPA Direct Debit, or on invoice by bank transfer. */
export type PaymentChoice = 'provider_page' | 'bank_transfer';

/**
 * Starts buying: decides the VAT (asking VIES for an EU VAT id outside Germany and keeping its answer
 * as proof; when VIES cannot answer nothing is started — the order stays pending), makes the account
 * the provider's customer once, and opens the provider's hosted checkout for the plan, term and seats.
 * Paid on invoice (decision 143) there is no payment page: the provider starts the subscription at
 * once and sends its first invoice, due in the configured days. The subscription itself is recorded
 * when the provider reports it (webhook), not here.
 */
export async function startCheckout(
  deps: CheckoutDeps,
  input: {
    accountId: string;
    plan: PlanId;
    interval: Interval;
    seats: number;
    lang: 'en' | 'de';
    payment: PaymentChoice;
  },
  now: Date,
): Promise<{ url: string; vat: VatDecision }> {
  if (!Number.isInteger(input.seats) || input.seats < 1 || input.seats > MAX_SEATS)
    throw new AppError(400, 'invalid_request', `seats: a whole number from 1 to ${MAX_SEATS}.`);
  if (input.payment === 'bank_transfer' && !deps.bankTransfer)
    throw new AppError(503, 'payments_not_configured', 'payment: paying on invoice is not available.');
  const plan = findPlan(input.plan);
  const found = await deps.db.query<{
    email: string;
    full_name: string;
    confirmed: boolean;
    tenant_id: string | null;
    company_name: string | null;
    country: string | null;
    vat_id: string | null;
    invoice_email: string | null;
    provider_customer_id: string | null;
  }>(
    `select email, full_name, email_confirmed_at is not null as confirmed, tenant_id, company_name, country,
            vat_id, invoice_email, provider_customer_id
       from registration_accounts where id = $1`,
    [input.accountId],
  );
  const account = found.rows[0];
  if (!account?.confirmed) throw new AppError(401, 'not_signed_in', 'Sign in first.');
  if (!account.tenant_id)
    throw new AppError(409, 'tenant_not_connected', 'Connect your Microsoft 365 before buying.');
  if (!account.company_name || !account.country || !account.invoice_email)
    throw new AppError(409, 'company_data_missing', 'Enter your company data before buying.');
  const existing = await deps.db.query<{
    state: string;
    account_id: string | null;
    provider_subscription_id: string | null;
  }>('select state, account_id, provider_subscription_id from subscriptions where tenant_id = $1', [
    account.tenant_id,
  ]);
  const subscription = existing.rows[0];
  if (
    subscription &&
    subscription.account_id !== input.accountId &&
    ['trial', 'active', 'past_due', 'suspended'].includes(subscription.state)
  )
    throw new AppError(409, 'subscription_exists', 'This Microsoft 365 tenant already has a subscription.');
  if (
    subscription?.provider_subscription_id &&
    ['active', 'past_due', 'suspended'].includes(subscription.state)
  )
    throw new AppError(
      409,
      'subscription_exists',
      'This tenant has a paid subscription already: change its seats instead.',
    );

  let viesValid: boolean | null = null;
  if (needsViesCheck(account.country, account.vat_id) && account.vat_id) {
    const answer = await deps.checkVat(account.vat_id);
    await deps.db.query(
      `insert into vat_checks (account_id, vat_id, checked_at, valid, request_identifier, trader_name, trader_address)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        input.accountId,
        account.vat_id,
        now,
        answer.valid,
        answer.requestIdentifier,
        answer.name,
        answer.address,
      ],
    );
    if (!answer.valid)
      throw new AppError(
        422,
        'vat_id_invalid',
        'vat_id: the EU VAT check (VIES) does not know this VAT identification number. Correct it, or remove it to be invoiced with German VAT.',
      );
    viesValid = true;
  }
  const vat = decideVat(account.country, account.vat_id, viesValid);

  let customerId = account.provider_customer_id;
  if (!customerId) {
    customerId = await deps.provider.createCustomer(
      {
        email: account.invoice_email,
        name: account.company_name,
        country: account.country,
        language: input.lang,
        accountId: input.accountId,
      },
      `customer-${input.accountId}`,
    );
    await deps.db.query('update registration_accounts set provider_customer_id = $2 where id = $1', [
      input.accountId,
      customerId,
    ]);
  }
  const back = `${deps.publicBaseUrl}/register/account`;
  const metadata = {
    tenant_id: account.tenant_id,
    account_id: input.accountId,
    plan: plan.id,
    tax_treatment: vat.treatment,
  };
  const unitAmountCents =
    input.interval === 'year' ? plan.pricePerSeatYearCents : plan.pricePerSeatMonthCents;
  if (input.payment === 'bank_transfer' && deps.bankTransfer) {
    await deps.provider.createInvoicedSubscription({
      customerId,
      productName: `Mailissa ${plan.name.en}`,
      unitAmountCents,
      interval: input.interval,
      seats: input.seats,
      taxRatePercent: vat.ratePercent > 0 ? vat.ratePercent : null,
      daysUntilDue: deps.bankTransfer.days,
      metadata,
      idempotencyKey: `invoiced-${randomUUID()}`,
    });
    return { url: `${back}?notice=invoice_sent&lang=${input.lang}`, vat };
  }
  const checkout = await deps.provider.createCheckout({
    customerId,
    productName: `Mailissa ${plan.name.en}`,
    unitAmountCents,
    interval: input.interval,
    seats: input.seats,
    taxRatePercent: vat.ratePercent > 0 ? vat.ratePercent : null,
    successUrl: `${back}?notice=payment_done&lang=${input.lang}`,
    cancelUrl: `${back}?notice=payment_cancelled&lang=${input.lang}`,
    locale: input.lang,
    metadata,
    idempotencyKey: `checkout-${randomUUID()}`,
  });
  return { url: checkout.url, vat };
}
