import type { OperatorDetails } from '../../config/config.js';
import type { Queryable } from '../../db/database.js';
import type { ProviderInvoice } from '../payments/payment-provider.js';
import { findPlan, isPlanId } from '../plans.js';
import { SELLER_COUNTRY, type TaxTreatment, taxOn } from '../tax/vat-treatment.js';
import type { InvoiceDocument } from './invoice-document.js';
import { invoicePdf } from './invoice-pdf.js';
import { invoiceXml } from './invoice-xml.js';

export interface IssuedInvoice {
  id: string;
  number: string;
  grossCents: number;
}

/**
 * The next number of the year, taken in the caller's transaction: the counter row is locked until it
 * commits (a concurrent issuer waits) and a rollback gives the number back, so numbers have no gaps
 * and no duplicates (docs/decisions/083).
 */
export async function nextInvoiceNumber(
  tx: Queryable,
  year: number,
): Promise<{ number: string; sequence: number }> {
  const counted = await tx.query<{ last_number: number }>(
    `insert into invoice_counters (year, last_number) values ($1, 1)
     on conflict (year) do update set last_number = invoice_counters.last_number + 1
     returning last_number`,
    [year],
  );
  const sequence = counted.rows[0]?.last_number ?? 0;
  return { number: `${year}-${String(sequence).padStart(5, '0')}`, sequence };
}

const PERIOD_WORDS = {
  en: { month: 'month', year: 'year', seats: 'users' },
  de: { month: 'Monat', year: 'Jahr', seats: 'Benutzer' },
};

/**
 * Issues our invoice for a payment the provider collected (or demands): number, buyer as now on
 * file, lines from the provider's invoice, VAT by the treatment decided at checkout, the EN 16931
 * XML and the PDF — all in the caller's transaction, once per provider invoice.
 */
export async function issueInvoice(
  tx: Queryable,
  input: {
    seller: OperatorDetails;
    tenantId: string;
    accountId: string;
    plan: string;
    taxTreatment: TaxTreatment;
    providerInvoice: ProviderInvoice;
  },
  now: Date,
): Promise<IssuedInvoice | null> {
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
    issuedAt: now,
    servicePeriodStart: input.providerInvoice.periodStart,
    servicePeriodEnd: input.providerInvoice.periodEnd,
    language: lang,
    currency: 'EUR',
    seller: {
      name: input.seller.company,
      addressLines: input.seller.addressLines,
      country: SELLER_COUNTRY,
      vatId: input.seller.vatId,
      email: input.seller.email,
      register: input.seller.register,
    },
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
  };
  const xml = invoiceXml(document);
  const pdf = await invoicePdf(document, xml);
  const inserted = await tx.query<{ id: string }>(
    `insert into invoices (tenant_id, account_id, number, year, sequence, kind, issued_at, service_period_start,
                           service_period_end, language, currency, net_cents, tax_cents, gross_cents, tax_rate_percent,
                           tax_treatment, buyer, buyer_email, lines, provider_invoice_id, pdf, xml, paid_at)
     values ($1, $2, $3, $4, $5, 'invoice', $6, $7, $8, $9, 'EUR', $10, $11, $12, $13, $14, $15::jsonb, $21,
             $16::jsonb, $17, $18, $19, $20)
     returning id`,
    [
      input.tenantId,
      input.accountId,
      number,
      year,
      sequence,
      now,
      document.servicePeriodStart,
      document.servicePeriodEnd,
      lang,
      netCents,
      taxCents,
      document.grossCents,
      ratePercent,
      input.taxTreatment,
      JSON.stringify(document.buyer),
      JSON.stringify(lines),
      input.providerInvoice.id,
      Buffer.from(pdf),
      xml,
      input.providerInvoice.paidAt,
      account.invoice_email,
    ],
  );
  return { id: inserted.rows[0]?.id ?? '', number, grossCents: document.grossCents };
}
