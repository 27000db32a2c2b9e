import type { OperatorDetails } from '../../config/config.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import { type TaxTreatment, taxOn } from '../tax/vat-treatment.js';
import type { InvoiceDocument } from './invoice-document.js';
import { nextInvoiceNumber } from './issue-invoice.js';
import {
  type IssuedDocument,
  type PaymentMethodKind,
  sellerOf,
  storeIssuedDocument,
} from './store-issued-document.js';

export const MAX_REASON_LENGTH = 500;

const CREDIT_LINE = {
  en: 'Credit on invoice {number}',
  de: 'Gutschrift zu Rechnung {number}',
};

interface CorrectedInvoice {
  id: string;
  tenant_id: string;
  account_id: string | null;
  number: string;
  kind: 'invoice' | 'credit_note';
  service_period_start: Date;
  service_period_end: Date;
  language: 'en' | 'de';
  net_cents: string;
  tax_cents: string;
  tax_rate_percent: string;
  tax_treatment: TaxTreatment;
  buyer: InvoiceDocument['buyer'];
  lines: InvoiceDocument['lines'];
  provider_invoice_id: string | null;
  paid_at: Date | null;
  payment_method: PaymentMethodKind | null;
}

async function creditedSoFar(db: Queryable, invoiceId: string) {
  const found = await db.query<{ net: string; count: number }>(
    `select coalesce(sum(net_cents), 0) as net, count(*)::int as count
       from invoices where corrects_invoice_id = $1 and kind = 'credit_note'`,
    [invoiceId],
  );
  return { netCents: Number(found.rows[0]?.net ?? 0), count: found.rows[0]?.count ?? 0 };
}

/**
 * Issues a credit note on an invoice (the operator's refund or correction; decision 115): in full, or
 * a net amount of what is not yet credited. The provider refunds the gross first — its idempotency
 * key names the invoice and the how-manieth credit note this is, so a retry after a failure here
 * refunds nothing twice — then the credit note takes the next number of its own series and is stored
 * with its EN 16931 XML (type 381, referencing the invoice) and PDF, and its mail is queued.
 */
export async function issueCreditNote(
  deps: { db: Database; jobs: JobQueue; provider: PaymentProvider | null; seller: OperatorDetails },
  input: { invoiceId: string; reason: string; netCents?: number | undefined },
  now: Date,
): Promise<IssuedDocument> {
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH)
    throw new AppError(400, 'invalid_request', `reason: say why, in 1 to ${MAX_REASON_LENGTH} characters.`);
  const found = await deps.db.query<CorrectedInvoice>(
    `select id, tenant_id, account_id, number, kind, service_period_start, service_period_end, language,
            net_cents, tax_cents, tax_rate_percent, tax_treatment, buyer, lines, provider_invoice_id, paid_at,
            payment_method
       from invoices where id = $1`,
    [input.invoiceId],
  );
  const invoice = found.rows[0];
  if (!invoice) throw new AppError(404, 'invoice_not_found', 'No such invoice.');
  if (invoice.kind !== 'invoice')
    throw new AppError(409, 'invoice_not_creditable', 'A credit note cannot itself be credited.');
  const invoiceNet = Number(invoice.net_cents);
  const before = await creditedSoFar(deps.db, invoice.id);
  const remaining = invoiceNet - before.netCents;
  if (remaining <= 0)
    throw new AppError(
      409,
      'invoice_not_creditable',
      `Invoice ${invoice.number} is credited in full already.`,
    );
  const netCents = input.netCents ?? remaining;
  if (!Number.isInteger(netCents) || netCents < 1 || netCents > remaining)
    throw new AppError(
      400,
      'invalid_request',
      `netCents: a whole number of cents from 1 to ${remaining}, what is left to credit on invoice ${invoice.number}.`,
    );
  const rate = Number(invoice.tax_rate_percent);
  const whole = before.count === 0 && netCents === invoiceNet;
  // Crediting the whole invoice repeats its lines and its VAT to the cent; a part is one line.
  const taxCents = whole ? Number(invoice.tax_cents) : taxOn(netCents, rate);
  const grossCents = netCents + taxCents;
  const lang = invoice.language;
  const lines = whole
    ? invoice.lines
    : [
        {
          description: CREDIT_LINE[lang].replace('{number}', invoice.number),
          quantity: 1,
          unitPriceCents: netCents,
          netCents,
        },
      ];

  // Paid by card or debit: refunded to that payment; paid by transfer: paid back by the operator;
  // not paid yet: the buyer owes less (decision 143).
  const settlement =
    invoice.paid_at === null
      ? 'reduce_amount_due'
      : invoice.payment_method === 'bank_transfer'
        ? 'out_of_band'
        : 'refund';
  let providerCreditNoteId: string | null = null;
  if (invoice.provider_invoice_id) {
    if (!deps.provider)
      throw new AppError(503, 'payments_not_configured', 'No payment provider is configured to refund.');
    providerCreditNoteId = (
      await deps.provider.createCreditNote({
        invoiceId: invoice.provider_invoice_id,
        amountCents: grossCents,
        settlement,
        memo: `${invoice.number}: ${reason}`.slice(0, 500),
        idempotencyKey: `credit-note-${invoice.id}-${before.count + 1}`,
      })
    ).id;
  }

  return deps.db.transaction(async (tx) => {
    // Serialises credit notes of one invoice: the second of two at once sees the first's amount.
    await tx.query('select id from invoices where id = $1 for update', [invoice.id]);
    const again = await creditedSoFar(tx, invoice.id);
    if (again.count !== before.count)
      throw new AppError(
        409,
        'invoice_not_creditable',
        `Invoice ${invoice.number} was credited meanwhile; reload and check what is left.`,
      );
    const year = now.getUTCFullYear();
    const { number, sequence } = await nextInvoiceNumber(tx, year, 'credit_note');
    const document: InvoiceDocument = {
      number,
      kind: 'credit_note',
      correctsNumber: invoice.number,
      reason,
      issuedAt: now,
      servicePeriodStart: invoice.service_period_start,
      servicePeriodEnd: invoice.service_period_end,
      language: lang,
      currency: 'EUR',
      seller: sellerOf(deps.seller),
      buyer: invoice.buyer,
      lines,
      netCents,
      taxRatePercent: rate,
      taxCents,
      grossCents,
      taxTreatment: invoice.tax_treatment,
      // Refunded at once through the provider: nothing is left to settle.
      paid: providerCreditNoteId !== null && settlement === 'refund',
      bankTransfer: null,
    };
    return storeIssuedDocument(tx, deps.jobs, {
      document,
      tenantId: invoice.tenant_id,
      accountId: invoice.account_id,
      year,
      sequence,
      correctsInvoiceId: invoice.id,
      providerInvoiceId: null,
      providerCreditNoteId,
      paidAt: providerCreditNoteId && settlement === 'refund' ? now : null,
      paymentMethod: settlement === 'refund' ? invoice.payment_method : null,
    });
  });
}
