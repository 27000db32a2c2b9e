import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findPaidSubscription } from './find-paid-subscription.js';
import type { PaymentProvider } from './payments/payment-provider.js';
import { MAX_SEATS } from './start-checkout.js';

/**
 * Changes the seats of the account's paid subscription at the provider, prorated onto the next
 * invoice (decision 081). Fewer seats than licences assigned are refused: an administrator removes
 * licences first, so nobody loses access by surprise. Our row follows through the provider's webhook.
 */
export async function changeSeats(
  deps: { db: Database; provider: PaymentProvider },
  accountId: string,
  seats: number,
): Promise<void> {
  if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS)
    throw new AppError(400, 'invalid_request', `seats: a whole number from 1 to ${MAX_SEATS}.`);
  const subscription = await findPaidSubscription(deps.db, accountId);
  const assigned = await deps.db.query<{ n: number }>(
    `select coalesce(max(n), 0)::int as n from (
       select count(*) as n from licence_assignments where tenant_id = $1 group by module) counts`,
    [subscription.tenant_id],
  );
  if ((assigned.rows[0]?.n ?? 0) > seats)
    throw new AppError(
      409,
      'seats_below_assigned',
      'seats: more licences are assigned than that; remove licences first.',
    );
  await deps.provider.changeSubscription(subscription.provider_subscription_id, {
    seats,
    idempotencyKey: `seats-${randomUUID()}`,
  });
}

/** Ends the paid subscription at the end of its term (or takes that back). */
export async function setCancelAtPeriodEnd(
  deps: { db: Database; provider: PaymentProvider },
  accountId: string,
  cancel: boolean,
): Promise<void> {
  const subscription = await findPaidSubscription(deps.db, accountId);
  await deps.provider.setCancelAtPeriodEnd(
    subscription.provider_subscription_id,
    cancel,
    `cancel-${randomUUID()}`,
  );
}
