import { findPlan, type PlanId } from '../billing/plans.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findSubscriptionHolder } from './subscription-holder.js';

/**
 * Starts the plan's free trial for the account's tenant: the plan's trial seats of each of its
 * modules for the plan's trial days; licences go to the first users who sign in while seats last.
 * The subscription's unique tenant_id makes "one subscription per tenant" hold under concurrency:
 * of two accounts starting at once, one inserts and the other is told who holds it.
 */
export async function startTrial(
  db: Database,
  accountId: string,
  planId: PlanId,
  now: Date,
): Promise<{ subscriptionId: string }> {
  const plan = findPlan(planId);
  return db.transaction(async (tx) => {
    const found = await tx.query<{ tenant_id: string | null; confirmed: boolean; has_company: boolean }>(
      `select tenant_id, email_confirmed_at is not null as confirmed, company_name is not null as has_company
         from registration_accounts where id = $1`,
      [accountId],
    );
    const account = found.rows[0];
    if (!account?.confirmed) throw new AppError(401, 'not_signed_in', 'Sign in first.');
    if (!account.tenant_id) {
      throw new AppError(
        409,
        'tenant_not_connected',
        'Connect your Microsoft 365 before starting the trial.',
      );
    }
    if (!account.has_company) {
      throw new AppError(409, 'company_data_missing', 'Enter your company data before starting the trial.');
    }
    const seats = (module: 'team' | 'transfer') => (plan.modules.includes(module) ? plan.trial.seats : 0);
    const inserted = await tx.query<{ id: string }>(
      `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, auto_assign_licences, state,
                                  period_start, period_end, account_id)
       values ($1, $2, $3, $4, true, 'trial', $5, $6, $7)
       on conflict (tenant_id) do nothing
       returning id`,
      [
        account.tenant_id,
        plan.id,
        seats('team'),
        seats('transfer'),
        now,
        new Date(now.getTime() + plan.trial.days * 24 * 3600_000),
        accountId,
      ],
    );
    const id = inserted.rows[0]?.id;
    if (id) return { subscriptionId: id };
    const holder = await findSubscriptionHolder(tx, account.tenant_id, now);
    if (holder?.accountId === accountId && !holder.live) {
      throw new AppError(
        409,
        'trial_already_used',
        'This Microsoft 365 tenant has had its free trial already.',
      );
    }
    throw new AppError(
      409,
      'subscription_exists',
      holder?.maskedEmail
        ? `This Microsoft 365 tenant already has a subscription, held by ${holder.maskedEmail}.`
        : 'This Microsoft 365 tenant already has a subscription.',
      { extra: { heldBy: holder?.maskedEmail ?? null } },
    );
  });
}
