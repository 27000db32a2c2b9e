import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findPaidSubscription } from './find-paid-subscription.js';
import type { Interval, PaymentProvider } from './payments/payment-provider.js';
import { findPlan, isPlanId, type PlanId } from './plans.js';

/**
 * Switches the paid subscription's plan and/or term at the provider, with the same seats, prorated as
 * the provider computes it (decision 118): within the term the unused time is credited and the rest
 * charged on the next invoice; a new term starts now and is invoiced at once. A plan without a module
 * whose licences are still assigned is refused, as fewer seats are (decision 081). Our row follows
 * through the webhook, as for every change.
 */
export async function changePlan(
  deps: { db: Database; provider: PaymentProvider },
  accountId: string,
  change: { plan: PlanId; interval: Interval },
): Promise<void> {
  const current = await findPaidSubscription(deps.db, accountId);
  if (current.plan === change.plan && (current.billing_interval ?? 'month') === change.interval)
    throw new AppError(409, 'plan_unchanged', 'plan, interval: that is the current plan and term.');
  const plan = findPlan(change.plan);
  const dropped = (['team', 'transfer'] as const).filter((module) => !plan.modules.includes(module));
  if (dropped.length > 0) {
    const assigned = await deps.db.query<{ n: number }>(
      'select count(*)::int as n from licence_assignments where tenant_id = $1 and module = any($2)',
      [current.tenant_id, dropped],
    );
    if ((assigned.rows[0]?.n ?? 0) > 0)
      throw new AppError(
        409,
        'seats_below_assigned',
        `plan: licences of ${dropped.join(' and ')} are still assigned; remove them first.`,
      );
  }
  const seats = Math.max(current.seats_team, current.seats_transfer);
  await deps.provider.changeSubscription(current.provider_subscription_id, {
    seats,
    price: {
      productName: `Mailissa ${plan.name.en}`,
      unitAmountCents: change.interval === 'year' ? plan.pricePerSeatYearCents : plan.pricePerSeatMonthCents,
      interval: change.interval,
    },
    metadata: { plan: plan.id },
    idempotencyKey: `plan-${randomUUID()}`,
  });
}

/** The provider's page where the buyer replaces the payment method of the paid subscription. */
export async function paymentMethodPage(
  deps: { db: Database; provider: PaymentProvider; publicBaseUrl: string },
  accountId: string,
  lang: 'en' | 'de',
): Promise<string> {
  const current = await findPaidSubscription(deps.db, accountId);
  if (!current.provider_customer_id)
    throw new AppError(409, 'subscription_not_paid', 'There is no paid subscription to change.');
  if (current.collection_method === 'send_invoice')
    throw new AppError(
      409,
      'subscription_not_paid',
      'Paid on invoice by bank transfer: there is no card or IBAN to change.',
    );
  const page = await deps.provider.createPaymentMethodUpdate({
    customerId: current.provider_customer_id,
    returnUrl: `${deps.publicBaseUrl}/register/account?lang=${lang}`,
    completedUrl: `${deps.publicBaseUrl}/register/account?notice=payment_method_updated&lang=${lang}`,
    locale: lang,
    idempotencyKey: `payment-method-${randomUUID()}`,
  });
  return page.url;
}

export function planChoice(plan: unknown, interval: unknown): { plan: PlanId; interval: Interval } {
  if (!isPlanId(plan)) throw new AppError(400, 'invalid_request', 'plan: choose team, transfer or suite.');
  if (interval !== 'month' && interval !== 'year')
    throw new AppError(400, 'invalid_request', 'interval: choose month or year.');
  return { plan, interval };
}
