import type {
  LocalisedText,
  PersonalColumn,
  TableDeclaration,
  TableSubjects,
} from '../privacy/data-inventory.js';

// Declared here beside the feature and spread into privacy/data-inventory.ts.

/** Invoices: § 147 AO and § 14b UStG require keeping them for ten years. */
const TEN_YEARS_DAYS = 3653;
const invoiceRetention: LocalisedText = {
  en: 'Ten years from the end of the year of issue (§ 147 AO, § 14b UStG), also when your account or tenancy ends; then deleted',
  de: 'Zehn Jahre ab Ende des Ausstellungsjahres (§ 147 AO, § 14b UStG), auch wenn Ihr Konto oder Ihre Nutzung endet; danach gelöscht',
};
const invoiceColumn = (what: LocalisedText): PersonalColumn => ({
  personal: true,
  what,
  when: { en: 'When you pay for a subscription', de: 'Wenn Sie ein Abonnement bezahlen' },
  why: {
    en: 'To invoice your organisation as German tax law requires',
    de: 'Um Ihrer Organisation Rechnungen zu stellen, wie es das deutsche Steuerrecht verlangt',
  },
  legalBasis: 'art6_1c_legal_obligation',
  retention: invoiceRetention,
  surface: 'registration',
});
const vatProof: PersonalColumn = {
  personal: true,
  what: {
    en: 'The result of checking your company’s VAT identification number with the EU’s VIES service (name and address it returns, consultation number)',
    de: 'Das Ergebnis der Prüfung der Umsatzsteuer-Identifikationsnummer Ihres Unternehmens beim EU-Dienst VIES (zurückgemeldeter Name und Anschrift, Abfragenummer)',
  },
  when: {
    en: 'When you buy with a VAT identification number from another EU country',
    de: 'Wenn Sie mit einer Umsatzsteuer-Identifikationsnummer aus einem anderen EU-Land kaufen',
  },
  why: {
    en: 'Proof that invoicing without German VAT (reverse charge) was right',
    de: 'Nachweis, dass die Rechnung ohne deutsche Umsatzsteuer (Reverse Charge) richtig war',
  },
  legalBasis: 'art6_1c_legal_obligation',
  retention: {
    en: 'As long as your account exists; deleted with it',
    de: 'Solange Ihr Konto besteht; mit ihm gelöscht',
  },
  surface: 'registration',
};

export const billingInventory: Record<string, TableDeclaration> = {
  billing_events: { id: { personal: false }, type: { personal: false }, received_at: { personal: false } },
  invoice_counters: {
    series: { personal: false },
    year: { personal: false },
    last_number: { personal: false },
  },
  vat_checks: {
    id: { personal: false },
    account_id: { personal: false },
    vat_id: vatProof,
    checked_at: vatProof,
    valid: vatProof,
    request_identifier: vatProof,
    trader_name: vatProof,
    trader_address: vatProof,
  },
  invoices: {
    id: { personal: false },
    tenant_id: { personal: false },
    account_id: { personal: false },
    number: { personal: false },
    year: { personal: false },
    sequence: { personal: false },
    kind: { personal: false },
    corrects_invoice_id: { personal: false },
    issued_at: { personal: false },
    service_period_start: { personal: false },
    service_period_end: { personal: false },
    language: { personal: false },
    currency: { personal: false },
    net_cents: { personal: false },
    tax_cents: { personal: false },
    gross_cents: { personal: false },
    tax_rate_percent: { personal: false },
    tax_treatment: { personal: false },
    buyer: invoiceColumn({
      en: 'Your name, your company’s name, address, VAT identification number and invoice e-mail address as invoiced',
      de: 'Ihr Name sowie Name, Anschrift, Umsatzsteuer-Identifikationsnummer und Rechnungs-E-Mail-Adresse Ihres Unternehmens wie in Rechnung gestellt',
    }),
    buyer_email: invoiceColumn({ en: 'The invoice e-mail address', de: 'Die Rechnungs-E-Mail-Adresse' }),
    lines: { personal: false },
    provider_invoice_id: { personal: false },
    pdf: invoiceColumn({
      en: 'The invoice as PDF with its EN 16931 data',
      de: 'Die Rechnung als PDF mit ihren EN-16931-Daten',
    }),
    xml: invoiceColumn({ en: 'The invoice as EN 16931 data', de: 'Die Rechnung als EN-16931-Daten' }),
    paid_at: { personal: false },
    due_at: { personal: false },
    payment_method: { personal: false },
    // The operator's words on why a credit note was issued: about the order, not about a person.
    reason: { personal: false },
    provider_credit_note_id: { personal: false },
    mailed_at: { personal: false },
  },
};

/**
 * Invoices are found by the tenant and by the invoice e-mail address; an erasure or the end of a
 * tenancy moves them to the held records for ten years instead of deleting them (restricted, not
 * erased). VIES proofs go with the account.
 */
export const billingSubjects: Record<string, TableSubjects> = {
  billing_events: {},
  invoice_counters: {},
  vat_checks: { parent: { table: 'registration_accounts', column: 'account_id', references: 'id' } },
  invoices: {
    keys: { tenantId: 'tenant_id', email: 'buyer_email' },
    legalHold: {
      reason: {
        en: 'German tax law requires keeping invoices for ten years (§ 147 AO, § 14b UStG)',
        de: 'Das deutsche Steuerrecht verlangt, Rechnungen zehn Jahre aufzubewahren (§ 147 AO, § 14b UStG)',
      },
      mode: 'keep',
      holdDays: TEN_YEARS_DAYS,
    },
    omitFromExport: ['pdf'],
  },
};
