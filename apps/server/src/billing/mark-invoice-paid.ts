import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { applyProviderSubscription } from './apply-provider-subscription.js';
import type { PaymentProvider } from './payments/payment-provider.js';

/**
 * The operator records that an invoice paid on invoice has arrived by bank transfer (decision 143):
 * the provider marks its invoice paid out of band (keyed by our invoice, so a retry records nothing
 * twice), which ends any dunning there; our invoice gets the date and the method, the subscription
 * the provider's state again (a lapsed one is active again), and the tenant's audit log an entry
 * naming the operator — all in one transaction. The provider's webhook may have done part already;
 * each step only fills what is still empty.
 */
export async function markInvoicePaid(
  deps: { db: Database; provider: PaymentProvider | null; config: Config },
  input: { invoiceId: string; operatorEmail: string },
  now: Date,
): Promise<{ tenantId: string; state: string | null }> {
  const found = await deps.db.query<{
    id: string;
    tenant_id: string;
    number: string;
    kind: 'invoice' | 'credit_note';
    paid_at: Date | null;
    due_at: Date | null;
    provider_invoice_id: string | null;
    gross_cents: string;
  }>(
    `select id, tenant_id, number, kind, paid_at, due_at, provider_invoice_id, gross_cents
       from invoices where id = $1`,
    [input.invoiceId],
  );
  const invoice = found.rows[0];
  if (!invoice) throw new AppError(404, 'invoice_not_found', 'No such invoice.');
  if (invoice.kind !== 'invoice' || invoice.due_at === null || invoice.provider_invoice_id === null)
    throw new AppError(
      409,
      'invoice_not_payable',
      `Invoice ${invoice.number} is not paid by bank transfer: the payment provider collects it.`,
    );
  const dueAt = invoice.due_at;
  if (invoice.paid_at !== null)
    throw new AppError(409, 'invoice_not_payable', `Invoice ${invoice.number} is paid already.`);
  if (!deps.provider)
    throw new AppError(503, 'payments_not_configured', 'No payment provider is configured.');

  let paid: Awaited<ReturnType<PaymentProvider['getInvoice']>>;
  try {
    paid = await deps.provider.markInvoicePaidOutOfBand(
      invoice.provider_invoice_id,
      `mark-paid-${invoice.id}`,
    );
  } catch (error) {
    // Paid at the provider meanwhile (a retry after a lost answer): carry on with its state.
    const current = await deps.provider.getInvoice(invoice.provider_invoice_id);
    if (current.status !== 'paid') throw error;
    paid = current;
  }
  const subscription = paid.subscriptionId ? await deps.provider.getSubscription(paid.subscriptionId) : null;

  return deps.db.transaction(async (tx) => {
    await tx.query(
      `update invoices set paid_at = coalesce(paid_at, $2), payment_method = coalesce(payment_method, 'bank_transfer')
        where id = $1`,
      [invoice.id, paid.paidAt ?? now],
    );
    const applied = subscription
      ? await applyProviderSubscription(tx, subscription, now, deps.config.billing.graceDays)
      : null;
    await recordAuditEvent(
      tx,
      invoice.tenant_id,
      { system: `operator ${input.operatorEmail}` },
      {
        action: 'invoice.marked_paid',
        subject: { type: 'invoice', id: invoice.id, label: invoice.number },
        before: { paid: false, dueAt: dueAt.toISOString() },
        after: {
          paid: true,
          paidAt: (paid.paidAt ?? now).toISOString(),
          method: 'bank_transfer',
          grossCents: Number(invoice.gross_cents),
        },
      },
      now,
    );
    return { tenantId: invoice.tenant_id, state: applied?.state ?? null };
  });
}
