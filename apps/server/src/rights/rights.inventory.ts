import type {
  LocalisedText,
  PersonalColumn,
  TableDeclaration,
  TableSubjects,
} from '../privacy/data-inventory.js';

// Declared here beside the feature and spread into privacy/data-inventory.ts.

const notPersonal = { personal: false } as const;

const requestRetention: LocalisedText = {
  en: 'Three years after your request was answered, to show that and how we answered it',
  de: 'Drei Jahre nach Beantwortung Ihrer Anfrage, um nachweisen zu können, dass und wie wir sie beantwortet haben',
};

function requestColumn(what: LocalisedText): PersonalColumn {
  return {
    personal: true,
    what,
    when: {
      en: 'When you ask for access to, correction or erasure of your data, or restrict or object to a processing',
      de: 'Wenn Sie Auskunft, Berichtigung oder Löschung Ihrer Daten verlangen oder eine Verarbeitung einschränken oder ihr widersprechen',
    },
    why: {
      en: 'To answer your request within the legal deadline and to prove that we did (Art. 5(2), 12 GDPR)',
      de: 'Um Ihre Anfrage fristgerecht zu beantworten und dies nachweisen zu können (Art. 5 Abs. 2, Art. 12 DSGVO)',
    },
    legalBasis: 'art6_1c_legal_obligation',
    retention: requestRetention,
    surface: 'website',
  };
}

const heldColumn: PersonalColumn = {
  personal: true,
  what: {
    en: 'Data we must keep after an erasure (e.g. the proof of a newsletter opt-in), locked',
    de: 'Daten, die wir nach einer Löschung aufbewahren müssen (z. B. den Nachweis einer Newsletter-Anmeldung), gesperrt',
  },
  when: { en: 'When your data is erased', de: 'Wenn Ihre Daten gelöscht werden' },
  why: {
    en: 'A legal obligation to keep it; it is used for nothing else',
    de: 'Eine gesetzliche Pflicht zur Aufbewahrung; sie werden für nichts anderes verwendet',
  },
  legalBasis: 'art6_1c_legal_obligation',
  retention: {
    en: 'Until the hold ends (stated in our reply), then deleted automatically',
    de: 'Bis die Aufbewahrungspflicht endet (in unserer Antwort genannt), danach automatisch gelöscht',
  },
  surface: 'website',
};

const objectionColumn: PersonalColumn = {
  personal: true,
  what: {
    en: 'That you restricted or objected to a processing, and when',
    de: 'Dass Sie eine Verarbeitung eingeschränkt oder ihr widersprochen haben, und wann',
  },
  when: {
    en: 'When you restrict or object to a processing in “Your data”',
    de: 'Wenn Sie unter „Ihre Daten“ eine Verarbeitung einschränken oder ihr widersprechen',
  },
  why: { en: 'To honour your choice', de: 'Um Ihre Entscheidung zu beachten' },
  legalBasis: 'art6_1c_legal_obligation',
  retention: {
    en: 'Until you withdraw it or your account is deleted',
    de: 'Bis Sie sie zurücknehmen oder Ihr Konto gelöscht wird',
  },
  surface: 'addin_and_portal',
};

const artefactColumn: PersonalColumn = {
  personal: true,
  what: {
    en: 'The Microsoft 365 mailbox (its ID) in which Mailissa created a category, and the category’s name',
    de: 'Das Microsoft-365-Postfach (seine ID), in dem Mailissa eine Kategorie angelegt hat, und der Name der Kategorie',
  },
  when: {
    en: 'When Mailissa creates a category in your mailbox (Team)',
    de: 'Wenn Mailissa eine Kategorie in Ihrem Postfach anlegt (Team)',
  },
  why: {
    en: 'To remove what Mailissa created in your Microsoft 365 when your organisation’s tenancy ends',
    de: 'Um zu entfernen, was Mailissa in Ihrem Microsoft 365 angelegt hat, wenn die Nutzung Ihrer Organisation endet',
  },
  legalBasis: 'art6_1b_contract',
  retention: {
    en: 'Until the category is removed or the tenancy’s data is deleted',
    de: 'Bis die Kategorie entfernt ist oder die Daten der Organisation gelöscht sind',
  },
  surface: 'addin_and_portal',
};

export const rightsInventory: Record<string, TableDeclaration> = {
  rights_requests: {
    id: notPersonal,
    kind: requestColumn({ en: 'What you asked for', de: 'Was Sie verlangt haben' }),
    channel: notPersonal,
    status: notPersonal,
    language: notPersonal,
    subject_email: requestColumn({ en: 'Your e-mail address', de: 'Ihre E-Mail-Adresse' }),
    subject_user_id: requestColumn({ en: 'Your user ID', de: 'Ihre Benutzer-ID' }),
    tenant_id: notPersonal,
    details: requestColumn({
      en: 'What you wrote with your request',
      de: 'Was Sie zu Ihrer Anfrage geschrieben haben',
    }),
    received_at: requestColumn({ en: 'When your request arrived', de: 'Eingangszeitpunkt Ihrer Anfrage' }),
    confirmed_at: requestColumn({ en: 'When you confirmed it', de: 'Wann Sie sie bestätigt haben' }),
    due_at: notPersonal,
    extended_at: notPersonal,
    extension_reason: notPersonal,
    identity_check: requestColumn({
      en: 'How we checked that it was you',
      de: 'Wie wir geprüft haben, dass Sie es sind',
    }),
    confirm_token_hash: notPersonal,
    confirm_expires_at: notPersonal,
    completed_at: notPersonal,
    result: requestColumn({ en: 'What we did to answer it', de: 'Was wir zur Beantwortung getan haben' }),
    requested_by: requestColumn({
      en: 'Who made the request on your behalf (your administrator)',
      de: 'Wer die Anfrage für Sie gestellt hat (Ihr Administrator)',
    }),
  },
  rights_request_events: {
    id: notPersonal,
    request_id: notPersonal,
    occurred_at: notPersonal,
    actor: requestColumn({
      en: 'Who acted on your request (you, our staff, a job)',
      de: 'Wer Ihre Anfrage bearbeitet hat (Sie, unsere Mitarbeiter, ein Job)',
    }),
    action: notPersonal,
    outcome: notPersonal,
    detail: notPersonal,
  },
  held_records: {
    id: notPersonal,
    source_table: notPersonal,
    tenant_id: notPersonal,
    subject_keys: heldColumn,
    data: heldColumn,
    reason_en: notPersonal,
    reason_de: notPersonal,
    held_at: notPersonal,
    hold_until: notPersonal,
    request_id: notPersonal,
  },
  processing_objections: {
    tenant_id: notPersonal,
    user_id: objectionColumn,
    processing: objectionColumn,
    kind: objectionColumn,
    reason: objectionColumn,
    recorded_at: objectionColumn,
  },
  tenancy_endings: {
    tenant_id: notPersonal,
    requested_at: notPersonal,
    requested_by_user_id: {
      personal: true,
      what: {
        en: 'Which administrator asked to end the tenancy',
        de: 'Welcher Administrator das Ende der Nutzung verlangt hat',
      },
      when: {
        en: 'When an administrator ends the tenancy',
        de: 'Wenn ein Administrator die Nutzung beendet',
      },
      why: {
        en: 'To show who decided that the organisation’s data is deleted',
        de: 'Um zu zeigen, wer die Löschung der Daten der Organisation veranlasst hat',
      },
      legalBasis: 'art6_1b_contract',
      retention: {
        en: 'Until the tenancy’s data is deleted',
        de: 'Bis die Daten der Organisation gelöscht sind',
      },
      surface: 'addin_and_portal',
    },
    delete_after: notPersonal,
  },
  microsoft_artefacts: {
    id: notPersonal,
    tenant_id: notPersonal,
    kind: notPersonal,
    mailbox_object_id: artefactColumn,
    graph_id: notPersonal,
    // A category's name may name a person (a Team member's category).
    label: artefactColumn,
    created_at: notPersonal,
  },
  tenant_deletion_records: {
    id: notPersonal,
    tenant_id: notPersonal,
    tenant_name: notPersonal,
    reason: notPersonal,
    deleted_at: notPersonal,
    rows_deleted: notPersonal,
    rows_held: notPersonal,
    microsoft_artefacts: notPersonal,
  },
  tenant_deletion_failures: {
    id: notPersonal,
    tenant_id: notPersonal,
    failed_at: notPersonal,
    error: notPersonal,
  },
};

const proofOfAnswer: LocalisedText = {
  en: 'The record of your request and how we answered it: we must be able to show it (Art. 5(2) GDPR); deleted three years after the answer',
  de: 'Die Aufzeichnung Ihrer Anfrage und ihrer Beantwortung: Wir müssen sie nachweisen können (Art. 5 Abs. 2 DSGVO); drei Jahre nach der Antwort gelöscht',
};

export const rightsSubjects: Record<string, TableSubjects> = {
  rights_requests: {
    keys: { email: 'subject_email', userId: 'subject_user_id', tenantId: 'tenant_id' },
    omitFromExport: ['confirm_token_hash'],
    exemptFromErasure: proofOfAnswer,
  },
  rights_request_events: {
    parent: { table: 'rights_requests', column: 'request_id', references: 'id' },
    exemptFromErasure: proofOfAnswer,
  },
  // Held rows are found by the keys stored with them (see find-subject-rows.ts), not by a column.
  held_records: {
    notAttributable: {
      en: 'Rows kept under a legal hold: exported with the person’s data and erased when the hold ends',
      de: 'Unter einer Aufbewahrungspflicht gehaltene Zeilen: mit den Daten der Person exportiert und nach Ablauf der Frist gelöscht',
    },
  },
  processing_objections: { keys: { userId: 'user_id', tenantId: 'tenant_id' } },
  microsoft_artefacts: { keys: { tenantId: 'tenant_id' } },
  tenancy_endings: {
    keys: { userId: 'requested_by_user_id', tenantId: 'tenant_id' },
    // Erasing the administrator who asked must not cancel the organisation's decision.
    legalHold: {
      reason: {
        en: 'Your organisation’s decision to end its tenancy stays in force; who made it is removed',
        de: 'Die Entscheidung Ihrer Organisation, die Nutzung zu beenden, bleibt bestehen; wer sie traf, wird entfernt',
      },
      mode: 'pseudonymise',
      holdDays: 30,
      pseudonymise: { requested_by_user_id: { requested_by_user_id: null } },
    },
  },
  tenant_deletion_records: {},
  // Deleted with the tenant's other rows once a later run succeeds.
  tenant_deletion_failures: { keys: { tenantId: 'tenant_id' } },
};
