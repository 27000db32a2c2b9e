import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { applyProviderSubscription } from './apply-provider-subscription.js';
import { issueInvoice } from './invoices/issue-invoice.js';
import type { PaymentProvider, ProviderEvent } from './payments/payment-provider.js';
import type { TaxTreatment } from './tax/vat-treatment.js';

export const DUNNING_MAIL_QUEUE = 'billing.dunning-mail';

export interface BillingDeps {
  db: Database;
  provider: PaymentProvider;
  jobs: JobQueue;
  config: Config;
}

const TREATMENTS = new Set<TaxTreatment>(['standard', 'reverse_charge', 'outside_eu']);

/**
 * Applies one verified provider event, once. The objects it names are read fresh from the provider
 * first, so events that arrive late, twice or out of order all apply the provider's current state;
 * the event id is recorded in the same transaction as what it changed, so a redelivery after a
 * commit changes nothing and a failure (rolled back, answered 500) is applied when Stripe retries.
 */
export async function handleProviderEvent(
  deps: BillingDeps,
  event: ProviderEvent,
  now: Date,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  const seen = await deps.db.query('select 1 from billing_events where id = $1', [event.id]);
  if (seen.rowCount > 0) return 'duplicate';
  const subscription = event.subscriptionId
    ? await deps.provider.getSubscription(event.subscriptionId)
    : null;
  const invoice =
    event.invoiceId && event.type.startsWith('invoice.')
      ? await deps.provider.getInvoice(event.invoiceId)
      : null;
  // The invoice counter and the webhook log are the seller's, not a tenant's: one owner transaction
  // (the tenant is taken from our own metadata on the provider's subscription and filtered by).
  return deps.db.transaction(async (tx) => {
    const recorded = await tx.query(
      'insert into billing_events (id, type, received_at) values ($1, $2, $3) on conflict (id) do nothing returning id',
      [event.id, event.type, now],
    );
    if (recorded.rowCount === 0) return 'duplicate';
    if (!subscription) return 'ignored';
    const applied = await applyProviderSubscription(tx, subscription, now, deps.config.billing.graceDays);
    if (!applied) return 'ignored';
    const accountId = subscription.metadata.account_id;
    const treatment = subscription.metadata.tax_treatment as TaxTreatment;
    // Collected by the provider, an invoice is issued once paid; paid on invoice (bank transfer), as
    // soon as the provider sends it, carrying its due date and our bank account (decision 143).
    const byTransfer = invoice?.collectionMethod === 'send_invoice';
    const paymentMethod = byTransfer ? 'bank_transfer' : subscription.paymentMethodType;
    if (
      invoice &&
      (invoice.status === 'paid' || (byTransfer && invoice.status === 'open')) &&
      accountId &&
      TREATMENTS.has(treatment)
    ) {
      await issueInvoice(
        tx,
        deps.jobs,
        {
          seller: deps.config.operatorIdentity,
          tenantId: applied.tenantId,
          accountId,
          plan: subscription.metadata.plan ?? '',
          taxTreatment: treatment,
          providerInvoice: invoice,
          bankTransfer: deps.config.accounting.bankTransfer,
          paymentMethod,
        },
        now,
      );
    }
    if (invoice?.status === 'paid')
      await tx.query(
        `update invoices set paid_at = $2, payment_method = coalesce(payment_method, $3)
          where provider_invoice_id = $1 and paid_at is null`,
        [invoice.id, invoice.paidAt ?? now, paymentMethod],
      );
    if (invoice && event.type === 'invoice.payment_failed' && invoice.status === 'open' && accountId) {
      await deps.jobs.send(
        DUNNING_MAIL_QUEUE,
        {
          accountId,
          tenantId: applied.tenantId,
          attempt: invoice.attemptCount,
          amountCents: invoice.totalCents,
          nextAttemptAt: invoice.nextAttemptAt?.toISOString() ?? null,
        },
        {
          transaction: tx,
          singletonKey: `${invoice.id}-${invoice.attemptCount}`,
          retryLimit: 10,
          retryDelaySeconds: 60,
          retryBackoff: true,
        },
      );
    }
    return 'applied';
  });
}
