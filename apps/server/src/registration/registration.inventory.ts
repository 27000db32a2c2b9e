import type {
  LocalisedText,
  PersonalColumn,
  TableDeclaration,
  TableSubjects,
} from '../privacy/data-inventory.js';

// Declared here beside the feature and spread into privacy/data-inventory.ts.

const whileAccount: LocalisedText = {
  en: 'As long as your account exists; deleted with it. Accounts whose address is never confirmed are deleted after 7 days',
  de: 'Solange Ihr Konto besteht; mit ihm gelöscht. Konten, deren Adresse nie bestätigt wird, werden nach 7 Tagen gelöscht',
};
const forContract: LocalisedText = {
  en: 'To run your account and the contract with your organisation, and (once you buy) to invoice it',
  de: 'Zur Führung Ihres Kontos und des Vertrags mit Ihrer Organisation sowie (sobald Sie kaufen) zur Rechnungsstellung',
};
const atSignUp: LocalisedText = { en: 'When you register', de: 'Bei der Registrierung' };
const atCompanyData: LocalisedText = {
  en: 'When you enter your company data in the registration portal',
  de: 'Wenn Sie Ihre Firmendaten im Registrierungsportal eingeben',
};

function accountColumn(what: LocalisedText, when: LocalisedText = atSignUp): PersonalColumn {
  return {
    personal: true,
    what,
    when,
    why: forContract,
    legalBasis: 'art6_1b_contract',
    retention: whileAccount,
    surface: 'registration',
  };
}

const companyAddress = accountColumn(
  { en: 'Your company’s postal address', de: 'Die Postanschrift Ihres Unternehmens' },
  atCompanyData,
);

export const registrationInventory: Record<string, TableDeclaration> = {
  registration_accounts: {
    id: { personal: false },
    email: accountColumn({ en: 'Your e-mail address (your account)', de: 'Ihre E-Mail-Adresse (Ihr Konto)' }),
    full_name: accountColumn({ en: 'Your full name', de: 'Ihr vollständiger Name' }),
    language: { personal: false },
    created_at: accountColumn({ en: 'When you registered', de: 'Zeitpunkt Ihrer Registrierung' }),
    email_confirmed_at: accountColumn(
      { en: 'When you confirmed your e-mail address', de: 'Zeitpunkt der Bestätigung Ihrer E-Mail-Adresse' },
      {
        en: 'When you open the first link we send you',
        de: 'Wenn Sie den ersten Link öffnen, den wir Ihnen senden',
      },
    ),
    // The tenant itself is declared with the tenants table (its Microsoft tenant ID).
    tenant_id: { personal: false },
    tenant_connected_at: accountColumn(
      {
        en: 'When you connected your Microsoft 365',
        de: 'Zeitpunkt, zu dem Sie Ihr Microsoft 365 verbunden haben',
      },
      { en: 'When you connect your Microsoft 365', de: 'Wenn Sie Ihr Microsoft 365 verbinden' },
    ),
    company_name: accountColumn(
      { en: 'Your company’s name', de: 'Der Name Ihres Unternehmens' },
      atCompanyData,
    ),
    street: companyAddress,
    postal_code: companyAddress,
    city: companyAddress,
    country: companyAddress,
    vat_id: accountColumn(
      {
        en: 'Your company’s VAT identification number',
        de: 'Die Umsatzsteuer-Identifikationsnummer Ihres Unternehmens',
      },
      atCompanyData,
    ),
    invoice_email: accountColumn(
      { en: 'The e-mail address for invoices', de: 'Die E-Mail-Adresse für Rechnungen' },
      atCompanyData,
    ),
    po_reference: accountColumn(
      { en: 'Your purchase order reference', de: 'Ihre Bestellnummer' },
      atCompanyData,
    ),
    company_updated_at: { personal: false },
    // The payment provider's customer id (billing/): an opaque reference, no data of its own.
    provider_customer_id: { personal: false },
  },
  registration_links: {
    id: { personal: false },
    account_id: { personal: false },
    purpose: { personal: false },
    created_at: { personal: false },
    expires_at: { personal: false },
    // Used and expired links are deleted by the hourly retention run.
    used_at: { personal: false },
  },
  registration_email_changes: {
    id: { personal: false },
    account_id: { personal: false },
    new_email: {
      personal: true,
      what: {
        en: 'A new sign-in address you asked for, until you confirm it by the link we mail to it',
        de: 'Eine neue Anmeldeadresse, die Sie angegeben haben, bis Sie sie über den Link bestätigen, den wir an sie senden',
      },
      when: {
        en: 'When you change your e-mail address on your account page',
        de: 'Wenn Sie Ihre E-Mail-Adresse auf Ihrer Kontoseite ändern',
      },
      why: {
        en: 'To make sure the new address is yours before your account signs in with it (Art. 16 GDPR)',
        de: 'Um sicherzustellen, dass die neue Adresse Ihnen gehört, bevor Ihr Konto sich damit anmeldet (Art. 16 DSGVO)',
      },
      legalBasis: 'art6_1b_contract',
      retention: {
        en: 'Until the link is used or expires (24 hours); deleted by the hourly retention run',
        de: 'Bis der Link benutzt wird oder abläuft (24 Stunden); von der stündlichen Löschung entfernt',
      },
      surface: 'registration',
    },
    // Only the hash of the mailed link's token (request-email-change.ts).
    token_hash: { personal: false },
    language: { personal: false },
    created_at: { personal: false },
    expires_at: { personal: false },
    used_at: { personal: false },
  },
  registration_sessions: {
    id: { personal: false },
    token_hash: { personal: false },
    account_id: { personal: false },
    created_at: { personal: false },
    last_activity_at: { personal: false },
    expires_at: { personal: false },
  },
};

/**
 * How the registration portal's rows tie to a person: the buyer's account by its e-mail address (it
 * belongs to the buyer, not to the Microsoft tenant, so a tenancy's end leaves it to the buyer), its
 * links and sessions through the account.
 */
export const registrationSubjects: Record<string, TableSubjects> = {
  registration_accounts: { keys: { email: ['email', 'invoice_email'] } },
  registration_links: { parent: { table: 'registration_accounts', column: 'account_id', references: 'id' } },
  registration_email_changes: {
    parent: { table: 'registration_accounts', column: 'account_id', references: 'id' },
    omitFromExport: ['token_hash'],
  },
  registration_sessions: {
    parent: { table: 'registration_accounts', column: 'account_id', references: 'id' },
    omitFromExport: ['token_hash'],
  },
};
