import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

const auditColumn = {
  personal: true,
  when: {
    en: 'When an administrator changes settings, roles, licences, targets or categories, when you transfer a mail, and when Mailissa’s operator changes your subscription (a trial extended, a transfer recorded: their work e-mail address is named)',
    de: 'Wenn Administratoren Einstellungen, Rollen, Lizenzen, Ziele oder Kategorien ändern, wenn Sie eine E-Mail übertragen und wenn der Betreiber von Mailissa Ihr Abonnement ändert (Testphase verlängert, Überweisung erfasst: mit seiner dienstlichen E-Mail-Adresse)',
  },
  why: {
    en: "So your organisation's administrators can trace who changed what and when",
    de: 'Damit die Administratoren Ihrer Organisation nachvollziehen können, wer was wann geändert hat',
  },
  legalBasis: 'art6_1f_legitimate_interest',
  retention: {
    en: "One year (or the period your organisation's administrators set), then deleted automatically",
    de: 'Ein Jahr (oder die von den Administratoren Ihrer Organisation eingestellte Frist), danach automatisch gelöscht',
  },
  surface: 'addin_and_portal',
} as const;

// Declared here beside the feature and spread into privacy/data-inventory.ts.
export const auditInventory: Record<string, TableDeclaration> = {
  audit_events: {
    id: { personal: false },
    tenant_id: { personal: false },
    occurred_at: { personal: false },
    actor_user_id: {
      ...auditColumn,
      what: { en: 'Who made a change (user ID)', de: 'Wer etwas geändert hat (Benutzer-ID)' },
    },
    actor_name: {
      ...auditColumn,
      what: { en: 'Name of who made a change', de: 'Name dessen, der etwas geändert hat' },
    },
    action: { personal: false },
    subject_type: { personal: false },
    subject_id: {
      ...auditColumn,
      what: {
        en: 'What was changed (e.g. the user concerned)',
        de: 'Was geändert wurde (z. B. der betroffene Benutzer)',
      },
    },
    subject_label: {
      ...auditColumn,
      what: { en: 'Name of what was changed', de: 'Bezeichnung dessen, was geändert wurde' },
    },
    before: {
      ...auditColumn,
      what: { en: 'The state before a change', de: 'Der Zustand vor einer Änderung' },
    },
    after: {
      ...auditColumn,
      what: { en: 'The state after a change', de: 'Der Zustand nach einer Änderung' },
    },
  },
};

const ERASED = 'Erased user';

/**
 * Audit entries are the record an administrator relies on (who changed what): erasing a person
 * pseudonymises their name in them instead of deleting them; the audit retention deletes them later.
 */
export const auditSubjects: Record<string, TableSubjects> = {
  audit_events: {
    keys: { userId: ['actor_user_id', 'subject_id'], tenantId: 'tenant_id' },
    legalHold: {
      reason: {
        en: "Your organisation's audit log must still show that a change was made; your name in it is replaced by “Erased user”",
        de: 'Das Änderungsprotokoll Ihrer Organisation muss weiter zeigen, dass eine Änderung erfolgte; Ihr Name darin wird durch „Gelöschter Benutzer“ ersetzt',
      },
      mode: 'pseudonymise',
      holdDays: 365,
      pseudonymise: {
        actor_user_id: { actor_name: ERASED },
        subject_id: { subject_label: ERASED, before: null, after: null },
      },
    },
  },
};
