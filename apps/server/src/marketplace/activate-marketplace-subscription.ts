import type { Database } from '../db/database.js';
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

/**
 * Activates a marketplace purchase for the organisation the buyer signed in with: it must be the
 * purchase's beneficiary tenant (the tenant binding of decision 021, proved by Microsoft's sign-in).
 * The tenant's subscription becomes the marketplace's — plan, seats, term — replacing a trial; a paid
 * subscription bought here, or another live marketplace one, is not replaced. Microsoft's activate
 * call is the transaction's last step: if it fails nothing is written, and if our commit failed after
 * it, activating again finds the purchase Subscribed and writes the same rows.
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
  if (purchase.saasSubscriptionStatus !== 'PendingFulfillmentStart' && purchase.saasSubscriptionStatus !== 'Subscribed')
    throw new AppError(409, 'marketplace_purchase_invalid', 'This subscription is suspended or cancelled in the marketplace.');
  const terms = marketplaceTerms(purchase, now);

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
    const live = current && ['active', 'past_due', 'suspended'].includes(current.state);
    const ours = current?.marketplace_subscription_id === purchase.id;
    if (current && live && !ours && (current.provider_subscription_id || current.marketplace_subscription_id)) {
      const holder = await findSubscriptionHolder(tx, tenant.id, now);
      throw new AppError(
        409,
        'subscription_exists',
        holder?.maskedEmail
          ? `This Microsoft 365 tenant already has a paid subscription, held by ${holder.maskedEmail}. Cancel it before activating this one.`
          : 'This Microsoft 365 tenant already has a paid subscription. Cancel it before activating this one.',
      );
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
      [tenant.id, terms.plan.id, seats('team'), seats('transfer'), terms.periodStart, terms.periodEnd, terms.interval, purchase.id],
    );
    await tx.query(
      `insert into marketplace_subscriptions (tenant_id, id, offer_id, plan_id, quantity, term_unit, status,
                                              purchaser_microsoft_tenant_id, activated_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, 'Subscribed', $7, $8, $8)
       on conflict (tenant_id, id) do update set plan_id = excluded.plan_id, quantity = excluded.quantity,
         status = 'Subscribed', updated_at = excluded.updated_at`,
      [tenant.id, purchase.id, purchase.offerId, terms.plan.id, terms.seats, terms.termUnit, purchase.purchaser.tenantId.toLowerCase(), now],
    );
    // Servers cache who may sign in (decision 018): tell every one of them.
    await tx.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, tenant.id]);
    if (purchase.saasSubscriptionStatus === 'PendingFulfillmentStart') await deps.client.activate(purchase.id);
    return { tenantId: tenant.id, terms, consentPending: tenant.admin_consent_at === null };
  });
}
