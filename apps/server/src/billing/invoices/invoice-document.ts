import type { TaxTreatment } from '../tax/vat-treatment.js';

/** Everything an invoice or credit note says, as issued: the one input of its XML and its PDF. */
export interface InvoiceDocument {
  number: string;
  kind: 'invoice' | 'credit_note';
  /** For a credit note: the number of the invoice it corrects. */
  correctsNumber: string | null;
  /** For a credit note: why it was issued, in the words of the operator who issued it. */
  reason: string | null;
  issuedAt: Date;
  servicePeriodStart: Date;
  servicePeriodEnd: Date;
  language: 'en' | 'de';
  currency: 'EUR';
  seller: {
    name: string;
    addressLines: string[];
    country: string;
    vatId: string | null;
    email: string;
    register: string | null;
  };
  buyer: {
    name: string;
    contact: string;
    street: string;
    postalCode: string;
    city: string;
    country: string;
    vatId: string | null;
    email: string;
    poReference: string | null;
  };
  lines: Array<{ description: string; quantity: number; unitPriceCents: number; netCents: number }>;
  netCents: number;
  taxRatePercent: number;
  taxCents: number;
  grossCents: number;
  taxTreatment: TaxTreatment;
  /** Already paid (card, direct debit): the amount still due is zero. */
  paid: boolean;
  /** Paid on invoice (decision 143): the due date and the operator's account to transfer to. */
  bankTransfer: {
    dueDate: Date;
    accountHolder: string;
    iban: string;
    bic: string | null;
    bankName: string | null;
  } | null;
}

/** The EN 16931 VAT category: S standard, AE reverse charge, O not subject to VAT in Germany. */
export function vatCategory(treatment: TaxTreatment): 'S' | 'AE' | 'O' {
  return treatment === 'standard' ? 'S' : treatment === 'reverse_charge' ? 'AE' : 'O';
}

export const EXEMPTION_TEXT: Record<Exclude<TaxTreatment, 'standard'>, { en: string; de: string }> = {
  reverse_charge: {
    en: 'Reverse charge: the recipient of the service is liable for the VAT (Art. 196 Council Directive 2006/112/EC).',
    de: 'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, § 13b UStG, Art. 196 MwStSystRL).',
  },
  outside_eu: {
    en: 'Not subject to German VAT: the place of supply is outside Germany (§ 3a (2) UStG).',
    de: 'Nicht im Inland steuerbare Leistung (Leistungsort außerhalb Deutschlands, § 3a Abs. 2 UStG).',
  },
};
