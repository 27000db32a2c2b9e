import type {
  LocalisedText,
  PersonalColumn,
  TableDeclaration,
  TableSubjects,
} from '../privacy/data-inventory.js';

// Declared here beside the feature and spread into privacy/data-inventory.ts.

const untilUnsubscribed: LocalisedText = {
  en: 'Until you unsubscribe (then deleted at once); unconfirmed sign-ups are deleted after 7 days',
  de: 'Bis Sie sich abmelden (dann sofort gelöscht); unbestätigte Anmeldungen werden nach 7 Tagen gelöscht',
};

const proofWhy: LocalisedText = {
  en: 'To prove that you asked for the newsletter and confirmed your address (double opt-in)',
  de: 'Zum Nachweis, dass Sie den Newsletter bestellt und Ihre Adresse bestätigt haben (Double-Opt-in)',
};

function proofColumn(what: LocalisedText, when: LocalisedText): PersonalColumn {
  return {
    personal: true,
    what,
    when,
    why: proofWhy,
    legalBasis: 'art6_1c_legal_obligation',
    retention: untilUnsubscribed,
    surface: 'website',
  };
}

const atSignUp: LocalisedText = { en: 'When you sign up', de: 'Bei der Anmeldung' };
const atConfirmation: LocalisedText = {
  en: 'When you confirm your address',
  de: 'Wenn Sie Ihre Adresse bestätigen',
};

export const newsletterInventory: Record<string, TableDeclaration> = {
  newsletter_subscribers: {
    id: { personal: false },
    email: {
      personal: true,
      what: { en: 'Your e-mail address', de: 'Ihre E-Mail-Adresse' },
      when: atSignUp,
      why: {
        en: 'Only to send you the newsletter you asked for; never passed on to third parties',
        de: 'Ausschließlich für den Versand des bestellten Newsletters; keine Weitergabe an Dritte',
      },
      legalBasis: 'art6_1a_consent',
      retention: untilUnsubscribed,
      surface: 'website',
    },
    status: { personal: false },
    consent_version: proofColumn(
      {
        en: 'Which consent wording you were shown, and its language',
        de: 'Welcher Einwilligungstext Ihnen angezeigt wurde, und seine Sprache',
      },
      atSignUp,
    ),
    consent_language: proofColumn(
      {
        en: 'Which consent wording you were shown, and its language',
        de: 'Welcher Einwilligungstext Ihnen angezeigt wurde, und seine Sprache',
      },
      atSignUp,
    ),
    signed_up_at: proofColumn({ en: 'Time of your sign-up', de: 'Zeitpunkt Ihrer Anmeldung' }, atSignUp),
    signup_ip_truncated: proofColumn(
      {
        en: 'The network of your IP address at sign-up (last part removed)',
        de: 'Das Netz Ihrer IP-Adresse bei der Anmeldung (letzter Teil entfernt)',
      },
      atSignUp,
    ),
    confirmed_at: proofColumn(
      { en: 'Time of your confirmation', de: 'Zeitpunkt Ihrer Bestätigung' },
      atConfirmation,
    ),
    confirm_ip_truncated: proofColumn(
      {
        en: 'The network of your IP address at confirmation (last part removed)',
        de: 'Das Netz Ihrer IP-Adresse bei der Bestätigung (letzter Teil entfernt)',
      },
      atConfirmation,
    ),
  },
  newsletter_campaigns: {
    id: { personal: false },
    subject: { personal: false },
    body_text: { personal: false },
    created_at: { personal: false },
    state: { personal: false },
    recipients: { personal: false },
    sent_count: { personal: false },
    // The id of the last subscriber a campaign reached: a position in the send order, no person's data.
    cursor_subscriber_id: { personal: false },
    finished_at: { personal: false },
  },
};

/**
 * A confirmed subscriber's opt-in must stay provable after erasure (Art. 7(1) GDPR, and against a
 * claim under § 7 UWG): the row leaves the mailing list and its proof is held, locked, for three years.
 */
export const newsletterSubjects: Record<string, TableSubjects> = {
  newsletter_subscribers: {
    keys: { email: 'email' },
    legalHold: {
      reason: {
        en: 'Proof that you asked for the newsletter and confirmed your address (double opt-in): we must be able to show it if a claim is made. It is locked, used for nothing else, and deleted after three years',
        de: 'Nachweis, dass Sie den Newsletter bestellt und Ihre Adresse bestätigt haben (Double-Opt-in): Wir müssen ihn vorlegen können, falls Ansprüche erhoben werden. Er ist gesperrt, wird für nichts anderes verwendet und nach drei Jahren gelöscht',
      },
      mode: 'keep',
      holdDays: 3 * 365,
      appliesWhere: "status = 'confirmed'",
    },
  },
  newsletter_campaigns: {},
};
