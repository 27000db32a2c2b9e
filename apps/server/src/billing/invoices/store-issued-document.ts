import type { OperatorDetails } from '../../config/config.js';
import type { Queryable } from '../../db/database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { SELLER_COUNTRY } from '../tax/vat-treatment.js';
import type { InvoiceDocument } from './invoice-document.js';
import { invoicePdf } from './invoice-pdf.js';
import { invoiceXml } from './invoice-xml.js';

export const INVOICE_MAIL_QUEUE = 'billing.invoice-mail';

export interface IssuedDocument {
  id: string;
  number: string;
  grossCents: number;
}

export function sellerOf(seller: OperatorDetails): InvoiceDocument['seller'] {
  return {
    name: seller.company,
    addressLines: seller.addressLines,
    country: SELLER_COUNTRY,
    vatId: seller.vatId,
    email: seller.email,
    register: seller.register,
  };
}

/** How an invoice was paid: recorded for the operator's reconciliation (decision 143). */
export type PaymentMethodKind = 'card' | 'sepa_debit' | 'bank_transfer';
/**
 * Writes an issued invoice or credit note — its XML and PDF made from the one document — and queues
 * the mail that sends it to the buyer, both in the caller's transaction: the mail exists exactly when
 * the document does (decision 116).
 */
export async function storeIssuedDocument(
  tx: Queryable,
  jobs: JobQueue,
  input: {
    document: InvoiceDocument;
    tenantId: string;
    accountId: string | null;
    year: number;
    sequence: number;
    correctsInvoiceId: string | null;
    providerInvoiceId: string | null;
    providerCreditNoteId: string | null;
    paidAt: Date | null;
    /** How it was paid (an invoice) or refunded (a credit note), when known. */
    paymentMethod: PaymentMethodKind | null;
  },
): Promise<IssuedDocument> {
  const { document } = input;
  const xml = invoiceXml(document);
  const pdf = await invoicePdf(document, xml);
  const inserted = await tx.query<{ id: string }>(
    `insert into invoices (tenant_id, account_id, number, year, sequence, kind, corrects_invoice_id, issued_at,
                           service_period_start, service_period_end, language, currency, net_cents, tax_cents,
                           gross_cents, tax_rate_percent, tax_treatment, buyer, buyer_email, lines,
                           provider_invoice_id, provider_credit_note_id, reason, pdf, xml, paid_at, due_at,
                           payment_method)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb, $19,
             $20::jsonb, $21, $22, $23, $24, $25, $26, $27, $28)
     returning id`,
    [
      input.tenantId,
      input.accountId,
      document.number,
      input.year,
      input.sequence,
      document.kind,
      input.correctsInvoiceId,
      document.issuedAt,
      document.servicePeriodStart,
      document.servicePeriodEnd,
      document.language,
      document.currency,
      document.netCents,
      document.taxCents,
      document.grossCents,
      document.taxRatePercent,
      document.taxTreatment,
      JSON.stringify(document.buyer),
      document.buyer.email,
      JSON.stringify(document.lines),
      input.providerInvoiceId,
      input.providerCreditNoteId,
      document.reason,
      Buffer.from(pdf),
      xml,
      input.paidAt,
      document.paid ? null : (document.bankTransfer?.dueDate ?? null),
      input.paymentMethod,
    ],
  );
  const id = inserted.rows[0]?.id ?? '';
  await jobs.send(
    INVOICE_MAIL_QUEUE,
    { invoiceId: id },
    {
      transaction: tx,
      singletonKey: `invoice-mail-${id}`,
      retryLimit: 10,
      retryDelaySeconds: 60,
      retryBackoff: true,
    },
  );
  return { id, number: document.number, grossCents: document.grossCents };
}
