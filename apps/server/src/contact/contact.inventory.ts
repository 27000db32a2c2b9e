import type {
  LocalisedText,
  PersonalColumn,
  TableDeclaration,
  TableSubjects,
} from '../privacy/data-inventory.js';

// Declared here beside the feature and spread into privacy/data-inventory.ts.

// The period is CONTACT_RETENTION_DAYS (180 unless the operator configures another).
const enquiryRetention: LocalisedText = {
  en: 'Until we have answered and closed your enquiry; then deleted automatically after 180 days (or the period the operator has set)',
  de: 'Bis wir Ihre Anfrage beantwortet und abgeschlossen haben; danach nach 180 Tagen (oder der vom Betreiber eingestellten Frist) automatisch gelöscht',
};

function enquiryColumn(what: LocalisedText): PersonalColumn {
  return {
    personal: true,
    what,
    when: { en: 'When you send the contact form', de: 'Wenn Sie das Kontaktformular absenden' },
    why: {
      en: 'Only to answer your enquiry; never passed on to third parties',
      de: 'Ausschließlich zur Beantwortung Ihrer Anfrage; keine Weitergabe an Dritte',
    },
    legalBasis: 'art6_1f_legitimate_interest',
    retention: enquiryRetention,
    surface: 'website',
  };
}

export const contactInventory: Record<string, TableDeclaration> = {
  contact_enquiries: {
    id: { personal: false },
    name: enquiryColumn({ en: 'Your name', de: 'Ihr Name' }),
    email: enquiryColumn({ en: 'Your e-mail address', de: 'Ihre E-Mail-Adresse' }),
    company: enquiryColumn({ en: 'Your company (optional)', de: 'Ihre Firma (optional)' }),
    message: enquiryColumn({ en: 'Your message', de: 'Ihre Nachricht' }),
    language: { personal: false },
    received_at: enquiryColumn({ en: 'When your enquiry arrived', de: 'Eingangszeitpunkt Ihrer Anfrage' }),
    status: { personal: false },
    closed_at: { personal: false },
    operator_notified_at: { personal: false },
  },
  form_rate_limits: {
    bucket: { personal: false },
    source_hash: {
      personal: true,
      what: {
        en: 'A keyed hash of your IP address (never the address itself), counted per hour',
        de: 'Ein verschlüsselter Hashwert Ihrer IP-Adresse (nie die Adresse selbst), stundenweise gezählt',
      },
      when: {
        en: 'When you send the contact or newsletter form',
        de: 'Wenn Sie das Kontakt- oder Newsletter-Formular absenden',
      },
      why: {
        en: 'To limit how many forms one connection can send, against spam and abuse',
        de: 'Um zu begrenzen, wie viele Formulare eine Verbindung senden kann – gegen Spam und Missbrauch',
      },
      legalBasis: 'art6_1f_legitimate_interest',
      retention: { en: 'Deleted within a day', de: 'Innerhalb eines Tages gelöscht' },
      surface: 'website',
    },
    window_start: { personal: false },
    hits: { personal: false },
  },
};

/** How an enquiry ties to its sender (data-subject rights, rights/). */
export const contactSubjects: Record<string, TableSubjects> = {
  contact_enquiries: { keys: { email: 'email' } },
  form_rate_limits: {
    notAttributable: {
      en: 'A keyed hash of an address and hour, deleted within a day; it cannot be traced back to a person',
      de: 'Ein verschlüsselter Hashwert einer Adresse und Stunde, innerhalb eines Tages gelöscht; er lässt sich keiner Person zuordnen',
    },
  },
};
