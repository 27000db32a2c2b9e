import type { BankTransferDetails } from '../../config/accounting.config.js';
import type { OperatorDetails } from '../../config/config.js';
import type { Queryable } from '../../db/database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { ProviderInvoice } from '../payments/payment-provider.js';
import { findPlan, isPlanId } from '../plans.js';
import { type TaxTreatment, taxOn } from '../tax/vat-treatment.js';
import type { InvoiceDocument } from './invoice-document.js';
import {
  type IssuedDocument,
  type PaymentMethodKind,
  sellerOf,
  storeIssuedDocument,
} from './store-issued-document.js';

/** Invoices are numbered `YYYY-NNNNN`, credit notes in their own series `CN-YYYY-NNNNN` (decision 115). */
const SERIES_PREFIX = { invoice: '', credit_note: 'CN-' } as const;

/**
 * The next number of the year in a series, taken in the caller's transaction: the counter row is
 * locked until it commits (a concurrent issuer waits) and a rollback gives the number back, so
 * numbers have no gaps and no duplicates (docs/decisions/083).
 */
export async function nextInvoiceNumber(
  tx: Queryable,
  year: number,
  series: 'invoice' | 'credit_note' = 'invoice',
): Promise<{ number: string; sequence: number }> {
  const counted = await tx.query<{ last_number: number }>(
    `insert into invoice_counters (series, year, last_number) values ($2, $1, 1)
     on conflict (series, year) do update set last_number = invoice_counters.last_number + 1
     returning last_number`,
    [year, series],
  );
  const sequence = counted.rows[0]?.last_number ?? 0;
  return { number: `${SERIES_PREFIX[series]}${year}-${String(sequence).padStart(5, '0')}`, sequence };
}

const PERIOD_WORDS = {
  en: { month: 'month', year: 'year', seats: 'users' },
  de: { month: 'Monat', year: 'Jahr', seats: 'Benutzer' },
};

/**
 * Issues our invoice for a payment the provider collected (or demands): number, buyer as now on
 * file, lines from the provider's invoice, VAT by the treatment decided at checkout, the EN 16931
 * XML, the PDF and the mail to the buyer — all in the caller's transaction, once per provider invoice.
 */
export async function issueInvoice(
  tx: Queryable,
  jobs: JobQueue,
  input: {
    seller: OperatorDetails;
    tenantId: string;
    accountId: string;
    plan: string;
    taxTreatment: TaxTreatment;
    providerInvoice: ProviderInvoice;
    /** The account a buyer paying on invoice transfers to (null: none configured). */
    bankTransfer: BankTransferDetails | null;
    /** How the provider collected it, when paid (card or SEPA debit). */
    paymentMethod: PaymentMethodKind | null;
  },
  now: Date,
): Promise<IssuedDocument | null> {
  const already = await tx.query<{ id: string; number: string; gross_cents: string }>(
    'select id, number, gross_cents from invoices where provider_invoice_id = $1',
    [input.providerInvoice.id],
  );
  const issued = already.rows[0];
  if (issued) return null;
  const found = await tx.query<{
    full_name: string;
    language: 'en' | 'de';
    company_name: string;
    street: string;
    postal_code: string;
    city: string;
    country: string;
    vat_id: string | null;
    invoice_email: string;
    po_reference: string | null;
  }>(
    `select full_name, language, company_name, street, postal_code, city, country, vat_id, invoice_email, po_reference
       from registration_accounts where id = $1`,
    [input.accountId],
  );
  const account = found.rows[0];
  if (!account) return null;
  const lang = account.language;
  const plan = isPlanId(input.plan) ? findPlan(input.plan) : null;
  const ratePercent = input.taxTreatment === 'standard' ? 19 : 0;
  const lines = input.providerInvoice.lines.map((line) => {
    const regular = !line.proration && line.quantity > 0 && line.amountCents % line.quantity === 0;
    const interval =
      Math.round((line.periodEnd.getTime() - line.periodStart.getTime()) / 86_400_000) > 40
        ? 'year'
        : 'month';
    const description = line.proration
      ? line.description
      : `Mailissa ${plan?.name[lang] ?? input.plan}, ${line.quantity} ${PERIOD_WORDS[lang].seats} / ${PERIOD_WORDS[lang][interval]}`;
    // A credit for unused time is a negative quantity at a positive price (EN 16931 BR-27).
    const quantity = regular ? line.quantity : line.amountCents < 0 ? -1 : 1;
    const unitPriceCents = regular ? line.amountCents / line.quantity : Math.abs(line.amountCents);
    return { description, quantity, unitPriceCents, netCents: line.amountCents };
  });
  const netCents = lines.reduce((sum, line) => sum + line.netCents, 0);
  const taxCents = taxOn(netCents, ratePercent);
  const year = now.getUTCFullYear();
  const { number, sequence } = await nextInvoiceNumber(tx, year);
  const document: InvoiceDocument = {
    number,
    kind: 'invoice',
    correctsNumber: null,
    reason: null,
    issuedAt: now,
    servicePeriodStart: input.providerInvoice.periodStart,
    servicePeriodEnd: input.providerInvoice.periodEnd,
    language: lang,
    currency: 'EUR',
    seller: sellerOf(input.seller),
    buyer: {
      name: account.company_name,
      contact: account.full_name,
      street: account.street,
      postalCode: account.postal_code,
      city: account.city,
      country: account.country,
      vatId: account.vat_id,
      email: account.invoice_email,
      poReference: account.po_reference,
    },
    lines,
    netCents,
    taxRatePercent: ratePercent,
    taxCents,
    grossCents: netCents + taxCents,
    taxTreatment: input.taxTreatment,
    paid: input.providerInvoice.status === 'paid',
    bankTransfer:
      input.providerInvoice.status !== 'paid' && input.providerInvoice.dueDate && input.bankTransfer
        ? {
            dueDate: input.providerInvoice.dueDate,
            accountHolder: input.bankTransfer.accountHolder,
            iban: input.bankTransfer.iban,
            bic: input.bankTransfer.bic,
            bankName: input.bankTransfer.bankName,
          }
        : null,
  };
  return storeIssuedDocument(tx, jobs, {
    document,
    tenantId: input.tenantId,
    accountId: input.accountId,
    year,
    sequence,
    correctsInvoiceId: null,
    providerInvoiceId: input.providerInvoice.id,
    providerCreditNoteId: null,
    paidAt: input.providerInvoice.paidAt,
    paymentMethod: input.providerInvoice.status === 'paid' ? input.paymentMethod : null,
  });
}
