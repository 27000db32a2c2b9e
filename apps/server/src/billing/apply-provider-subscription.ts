import type { Queryable } from '../db/database.js';
import { TENANT_CONFIG_CHANNEL } from '../targets/bump-tenant-config.js';
import type { ProviderSubscription } from './payments/payment-provider.js';
import { findPlan, isPlanId } from './plans.js';

type State = 'trial' | 'active' | 'past_due' | 'suspended' | 'cancelled' | 'expired';

/**
 * Our state of a paid subscription from the provider's: overdue counts as `past_due` for the grace
 * period and as `suspended` after it (or when the provider gave up retrying). `incomplete` means the
 * first payment has not gone through: the tenant keeps what it had (its trial), nothing is granted.
 */
export function stateFor(
  status: ProviderSubscription['status'],
  pastDueSince: Date | null,
  now: Date,
  graceDays: number,
): State | null {
  switch (status) {
    case 'active':
      return 'active';
    case 'trialing':
      return 'trial';
    case 'past_due':
      return pastDueSince && now.getTime() - pastDueSince.getTime() >= graceDays * 86_400_000
        ? 'suspended'
        : 'past_due';
    case 'unpaid':
    case 'paused':
      return 'suspended';
    case 'canceled':
      return 'cancelled';
    default:
      return null;
  }
}

/**
 * Applies the provider's current view of a subscription to ours: plan, seats of each module the plan
 * includes (the seats the admin portal enforces), term, period, cancellation and state. The caller
 * fetched it fresh from the provider after the webhook, so an event arriving late or twice applies
 * the same, newest state (docs/decisions/080). Returns the tenant it changed, or null.
 */
export async function applyProviderSubscription(
  tx: Queryable,
  subscription: ProviderSubscription,
  now: Date,
  graceDays: number,
): Promise<{ tenantId: string; state: State } | null> {
  const tenantId = subscription.metadata.tenant_id;
  const accountId = subscription.metadata.account_id ?? null;
  const planId = subscription.metadata.plan;
  if (!tenantId || !isPlanId(planId)) return null;
  const plan = findPlan(planId);
  const current = await tx.query<{
    past_due_since: Date | null;
    provider_subscription_id: string | null;
    marketplace_subscription_id: string | null;
  }>(
    'select past_due_since, provider_subscription_id, marketplace_subscription_id from subscriptions where tenant_id = $1 for update',
    [tenantId],
  );
  const row = current.rows[0];
  // Bought in the Microsoft marketplace: Microsoft bills it, the payment provider never speaks for it.
  if (row?.marketplace_subscription_id) return null;
  // A tenant moved on to another provider subscription (bought again): the old one no longer speaks.
  if (row?.provider_subscription_id && row.provider_subscription_id !== subscription.id) return null;
  const overdue = subscription.status === 'past_due' || subscription.status === 'unpaid';
  const pastDueSince = overdue ? (row?.past_due_since ?? now) : null;
  const state = stateFor(subscription.status, pastDueSince, now, graceDays);
  if (state === null) return null;
  const seats = (module: 'team' | 'transfer') => (plan.modules.includes(module) ? subscription.seats : 0);
  await tx.query(
    `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, auto_assign_licences, state,
                                period_start, period_end, account_id, billing_interval, provider_subscription_id,
                                cancel_at_period_end, past_due_since, provider_synced_at, cancelled_at,
                                collection_method)
     values ($1, $2, $3, $4, true, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (tenant_id) do update set
       plan = excluded.plan, seats_team = excluded.seats_team, seats_transfer = excluded.seats_transfer,
       state = excluded.state, period_start = excluded.period_start, period_end = excluded.period_end,
       account_id = coalesce(excluded.account_id, subscriptions.account_id),
       billing_interval = excluded.billing_interval, provider_subscription_id = excluded.provider_subscription_id,
       cancel_at_period_end = excluded.cancel_at_period_end, past_due_since = excluded.past_due_since,
       provider_synced_at = excluded.provider_synced_at, collection_method = excluded.collection_method,
       cancelled_at = case when excluded.state = 'cancelled' then coalesce(subscriptions.cancelled_at, excluded.cancelled_at) else null end`,
    [
      tenantId,
      plan.id,
      seats('team'),
      seats('transfer'),
      state,
      subscription.periodStart,
      subscription.periodEnd,
      accountId,
      subscription.interval,
      subscription.id,
      subscription.cancelAtPeriodEnd,
      pastDueSince,
      now,
      state === 'cancelled' ? now : null,
      subscription.collectionMethod,
    ],
  );
  // Servers cache who may sign in (decision 018): tell every one of them.
  await tx.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, tenantId]);
  return { tenantId, state };
}
