import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { Interval } from './payments/payment-provider.js';

export interface PaidSubscription {
  tenant_id: string;
  provider_subscription_id: string;
  provider_customer_id: string | null;
  plan: string;
  billing_interval: Interval | null;
  seats_team: number;
  seats_transfer: number;
  collection_method: 'charge_automatically' | 'send_invoice';
}

/**
 * The account's paid (provider) subscription that is not cancelled: what every change of seats,
 * plan, term, cancellation or payment method starts from. None is a 409, not a 404: the account
 * exists, there is just nothing paid to change yet.
 */
export async function findPaidSubscription(db: Queryable, accountId: string): Promise<PaidSubscription> {
  const found = await db.query<PaidSubscription>(
    `select s.tenant_id, s.provider_subscription_id, a.provider_customer_id, s.plan, s.billing_interval,
            s.seats_team, s.seats_transfer, s.collection_method
       from subscriptions s
       join registration_accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
      where a.id = $1 and s.provider_subscription_id is not null and s.state <> 'cancelled'`,
    [accountId],
  );
  const row = found.rows[0];
  if (!row) throw new AppError(409, 'subscription_not_paid', 'There is no paid subscription to change.');
  return row;
}
