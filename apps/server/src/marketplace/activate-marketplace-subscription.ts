import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findSubscriptionHolder } from '../registration/subscription-holder.js';
import { TENANT_CONFIG_CHANNEL } from '../targets/bump-tenant-config.js';
import type { MarketplaceClient } from './marketplace-client.js';
import { type MarketplaceTerms, marketplaceTerms } from './marketplace-terms.js';

export interface ActivatedSubscription {
  tenantId: string;
  terms: MarketplaceTerms;
  /** The tenant still needs a global administrator's consent before transfers run. */
  consentPending: boolean;
}

/** A live paid subscription (ours or another marketplace one) that activating would replace. */
async function refuseIfHeld(db: Queryable, microsoftTenantId: string, subscriptionId: string, now: Date) {
  const found = await db.query<{ tenant_id: string }>(
    `select s.tenant_id from subscriptions s join tenants t on t.id = s.tenant_id
      where t.microsoft_tenant_id = $1 and s.state in ('active', 'past_due', 'suspended')
        and (s.provider_subscription_id is not null
             or (s.marketplace_subscription_id is not null and s.marketplace_subscription_id <> $2))`,
    [microsoftTenantId, subscriptionId],
  );
  const held = found.rows[0];
  if (!held) return;
  const holder = await findSubscriptionHolder(db, held.tenant_id, now);
  throw new AppError(
    409,
    'subscription_exists',
    holder?.maskedEmail
      ? `This Microsoft 365 tenant already has a paid subscription, held by ${holder.maskedEmail}. Cancel it before activating this one.`
      : 'This Microsoft 365 tenant already has a paid subscription. Cancel it before activating this one.',
  );
}

/**
 * Activates a marketplace purchase for the organisation the buyer signed in with: it must be the
 * purchase's beneficiary tenant (the tenant binding of decision 021, proved by Microsoft's sign-in).
 * The tenant's subscription becomes the marketplace's — plan, seats, term — replacing a trial; a paid
 * subscription bought here, or another live marketplace one, is not replaced. No network call waits
 * inside a transaction (PGlite has one connection): Microsoft's activate comes first, then one
 * transaction writes everything. Should that fail, the landing page finds the purchase Subscribed but
 * not ours and activating again writes the same rows without calling Microsoft twice.
 */
export async function activateMarketplaceSubscription(
  deps: { db: Database; client: MarketplaceClient },
  subscriptionId: string,
  signedIn: { microsoftTenantId: string; email: string },
  now: Date,
): Promise<ActivatedSubscription> {
  const purchase = await deps.client.getSubscription(subscriptionId);
  const beneficiaryTenant = purchase.beneficiary.tenantId.toLowerCase();
  if (beneficiaryTenant !== signedIn.microsoftTenantId.toLowerCase())
    throw new AppError(
      403,
      'marketplace_wrong_tenant',
      'You signed in with an account of another organisation. Sign in with a Microsoft 365 account of the organisation the subscription was bought for.',
    );
  if (
    purchase.saasSubscriptionStatus !== 'PendingFulfillmentStart' &&
    purchase.saasSubscriptionStatus !== 'Subscribed'
  )
    throw new AppError(
      409,
      'marketplace_purchase_invalid',
      'This subscription is suspended or cancelled in the marketplace.',
    );
  const terms = marketplaceTerms(purchase, now);
  await refuseIfHeld(deps.db, beneficiaryTenant, purchase.id, now);
  if (purchase.saasSubscriptionStatus === 'PendingFulfillmentStart') await deps.client.activate(purchase.id);

  return deps.db.transaction(async (tx) => {
    const provisionalName = signedIn.email.split('@')[1]?.slice(0, 256) || beneficiaryTenant;
    const upserted = await tx.query<{ id: string; admin_consent_at: Date | null }>(
      `insert into tenants (microsoft_tenant_id, name) values ($1, $2)
       on conflict (microsoft_tenant_id) do update set name = tenants.name
       returning id, admin_consent_at`,
      [beneficiaryTenant, provisionalName],
    );
    const tenant = upserted.rows[0];
    if (!tenant) throw new Error('binding a tenant returned no id');
    const existing = await tx.query<{
      state: string;
      provider_subscription_id: string | null;
      marketplace_subscription_id: string | null;
    }>(
      `select state, provider_subscription_id, marketplace_subscription_id
         from subscriptions where tenant_id = $1 for update`,
      [tenant.id],
    );
    const current = existing.rows[0];
    // Checked again under the row lock: a checkout that completed meanwhile is not overwritten.
    if (current && ['active', 'past_due', 'suspended'].includes(current.state)) {
      const other =
        current.marketplace_subscription_id && current.marketplace_subscription_id !== purchase.id;
      if (current.provider_subscription_id || other)
        await refuseIfHeld(tx, beneficiaryTenant, purchase.id, now);
    }
    const seats = (module: 'team' | 'transfer') => (terms.plan.modules.includes(module) ? terms.seats : 0);
    // Microsoft bills it: no account of ours holds it, so the portal offers no checkout for the tenant.
    await tx.query(
      `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, auto_assign_licences, state,
                                  period_start, period_end, account_id, billing_interval,
                                  marketplace_subscription_id, cancel_at_period_end, past_due_since, cancelled_at)
       values ($1, $2, $3, $4, true, 'active', $5, $6, null, $7, $8, false, null, null)
       on conflict (tenant_id) do update set
         plan = excluded.plan, seats_team = excluded.seats_team, seats_transfer = excluded.seats_transfer,
         state = 'active', period_start = excluded.period_start, period_end = excluded.period_end,
         account_id = null, billing_interval = excluded.billing_interval,
         provider_subscription_id = null, marketplace_subscription_id = excluded.marketplace_subscription_id,
         cancel_at_period_end = false, past_due_since = null, cancelled_at = null`,
      [
        tenant.id,
        terms.plan.id,
        seats('team'),
        seats('transfer'),
        terms.periodStart,
        terms.periodEnd,
        terms.interval,
        purchase.id,
      ],
    );
    await tx.query(
      `insert into marketplace_subscriptions (tenant_id, id, offer_id, plan_id, quantity, term_unit, status,
                                              purchaser_microsoft_tenant_id, activated_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, 'Subscribed', $7, $8, $8)
       on conflict (tenant_id, id) do update set plan_id = excluded.plan_id, quantity = excluded.quantity,
         status = 'Subscribed', updated_at = excluded.updated_at`,
      [
        tenant.id,
        purchase.id,
        purchase.offerId,
        terms.plan.id,
        terms.seats,
        terms.termUnit,
        purchase.purchaser.tenantId.toLowerCase(),
        now,
      ],
    );
    // Servers cache who may sign in (decision 018): tell every one of them.
    await tx.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, tenant.id]);
    return { tenantId: tenant.id, terms, consentPending: tenant.admin_consent_at === null };
  });
}
