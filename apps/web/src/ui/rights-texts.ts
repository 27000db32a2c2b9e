import type { ReplyTemplate, RightsRequest } from '@mailissa/contracts';
import type { SurfaceTexts } from './i18n.js';

/**
 * The labels of a request's kind, channel and status and of the reply templates, keyed by the API's
 * identifiers (`rights.kind_access`, `rights.template_received` …). Typed by the contract's enums,
 * so a new kind, channel, status or template does not compile until it has a label in both languages.
 */
interface RequestLabels {
  kind: Record<RightsRequest['kind'], string>;
  channel: Record<RightsRequest['channel'], string>;
  status: Record<RightsRequest['status'], string>;
  template: Record<ReplyTemplate, string>;
}

function flatten(labels: RequestLabels): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).flatMap(([group, values]) =>
      Object.entries(values as Record<string, string>).map(([id, label]): [string, string] => [
        `${group}_${id}`,
        label,
      ]),
    ),
  );
}

const labelsEn: RequestLabels = {
  kind: {
    access: 'Access (Art. 15/20)',
    rectification: 'Rectification (Art. 16)',
    erasure: 'Erasure (Art. 17)',
    restriction: 'Restriction (Art. 18)',
    objection: 'Objection (Art. 21)',
  },
  channel: {
    self_service: 'Self-service',
    website: 'Website form',
    administrator: 'Administrator',
    operator: 'Operator',
  },
  status: {
    awaiting_confirmation: 'Awaiting e-mail confirmation',
    open: 'Open',
    completed: 'Completed',
    rejected: 'Rejected',
  },
  template: {
    received: 'Request received',
    identity_needed: 'Identity check needed',
    completed: 'Request completed',
    rejected_unfounded: 'Rejected as unfounded',
  },
};

const labelsDe: RequestLabels = {
  kind: {
    access: 'Auskunft (Art. 15/20)',
    rectification: 'Berichtigung (Art. 16)',
    erasure: 'Löschung (Art. 17)',
    restriction: 'Einschränkung (Art. 18)',
    objection: 'Widerspruch (Art. 21)',
  },
  channel: {
    self_service: 'Selbstbedienung',
    website: 'Website-Formular',
    administrator: 'Administrator',
    operator: 'Betreiber',
  },
  status: {
    awaiting_confirmation: 'Wartet auf E-Mail-Bestätigung',
    open: 'Offen',
    completed: 'Erledigt',
    rejected: 'Abgelehnt',
  },
  template: {
    received: 'Anfrage erhalten',
    identity_needed: 'Identitätsnachweis nötig',
    completed: 'Anfrage erledigt',
    rejected_unfounded: 'Als unbegründet abgelehnt',
  },
};

/** Texts of "Your data" (add-in, portal) and the operator's request queue, EN and DE. */
export const rightsTexts: SurfaceTexts<{ rights: Record<string, string> }> = {
  en: {
    rights: {
      yourData: 'Your data',
      back: 'Back',
      intro:
        'Download everything Mailissa stores about you, restrict or object to optional processing, or delete your data.',
      downloadJson: 'Download as JSON',
      openReadable: 'Open as a readable page',
      identityNote:
        'Your name ({{name}}) and e-mail address ({{email}}) come from your organisation’s Microsoft 365 directory at every sign-in. To correct them, ask your administrator to change them there; Mailissa takes the new values at your next sign-in.',
      usageLog: 'Usage log of your requests (legitimate interest)',
      objected: 'You objected on {{when}}.',
      object: 'Object to this processing',
      withdraw: 'Withdraw objection',
      deleteTitle: 'Delete my data',
      deleteBody:
        'Deletes your user, licences, sessions and transfers. Your organisation’s audit log keeps the changes you made, with your name replaced. Signing in again starts afresh.',
      deleteConfirm: 'Delete all your data at Mailissa now? This cannot be undone.',
      deleteNow: 'Delete my data',
      deleted: 'Your data has been deleted.',
      kept: 'Kept: {{table}} — {{reason}}',
      failed: 'That did not work: {{message}}',
      complain: 'You may also complain to a data protection supervisory authority (Art. 77 GDPR).',
      queueTitle: 'Data protection requests',
      queueEmpty: 'No requests.',
      overdue: 'Overdue',
      due: 'Due {{when}}',
      received: 'Received {{when}}',
      identity: 'Identity check: {{check}}',
      extend: 'Extend by two months',
      extendPrompt: 'Reason for the extension (sent to the person):',
      reply: 'Reply from template',
      closeDone: 'Close as done',
      closeRejected: 'Reject',
      notePrompt: 'Note for the trail:',
      trail: 'Trail',
      tenantDeletions: 'Deleted tenancies',
      exportUser: 'Export data',
      eraseUser: 'Erase data',
      eraseUserConfirm: 'Erase all data of {{name}} at Mailissa? This cannot be undone.',
      tenancyTitle: 'End of the tenancy',
      tenancyIntro:
        'When your organisation stops using Mailissa, you can end the tenancy here. Download the organisation’s configuration and history first: {{days}} days after you confirm, a job deletes all of your organisation’s data at Mailissa.',
      tenancyExport: 'Download the organisation’s data (JSON)',
      tenancyDeletes: 'Deleted then',
      tenancyRows: '{{table}}: {{count}} entries',
      tenancyKeeps: 'Kept under a legal hold',
      tenancyKept: '{{table}}: {{reason}}',
      tenancyMicrosoft:
        'In your Microsoft 365: {{categories}} categories and {{subscriptions}} change notification subscriptions Mailissa created are removed, as long as your organisation still allows Mailissa access.',
      tenancyEnd: 'End the tenancy…',
      tenancyConfirmTitle: 'End the tenancy?',
      tenancyConfirm:
        'All data of {{organisation}} at Mailissa will be deleted on {{date}}. Until then you can withdraw this. Users keep working until the deletion.',
      tenancyConfirmButton: 'End the tenancy',
      tenancyCancel: 'Cancel',
      tenancyEnding:
        'The tenancy ends: your organisation’s data will be deleted on {{date}} (asked on {{requested}}).',
      tenancyWithdraw: 'Withdraw the end of the tenancy',
      tenancyWithdrawn: 'The end of the tenancy was withdrawn; nothing will be deleted.',
      ...flatten(labelsEn),
    },
  },
  de: {
    rights: {
      yourData: 'Ihre Daten',
      back: 'Zurück',
      intro:
        'Laden Sie alles herunter, was Mailissa über Sie speichert, schränken Sie optionale Verarbeitungen ein, widersprechen Sie ihnen oder löschen Sie Ihre Daten.',
      downloadJson: 'Als JSON herunterladen',
      openReadable: 'Als lesbare Seite öffnen',
      identityNote:
        'Ihr Name ({{name}}) und Ihre E-Mail-Adresse ({{email}}) stammen bei jeder Anmeldung aus dem Microsoft-365-Verzeichnis Ihrer Organisation. Zur Berichtigung bitten Sie Ihren Administrator, sie dort zu ändern; Mailissa übernimmt die neuen Werte bei Ihrer nächsten Anmeldung.',
      usageLog: 'Nutzungsprotokoll Ihrer Anfragen (berechtigtes Interesse)',
      objected: 'Sie haben am {{when}} widersprochen.',
      object: 'Dieser Verarbeitung widersprechen',
      withdraw: 'Widerspruch zurücknehmen',
      deleteTitle: 'Meine Daten löschen',
      deleteBody:
        'Löscht Ihren Benutzer, Ihre Lizenzen, Sitzungen und Übertragungen. Das Änderungsprotokoll Ihrer Organisation behält Ihre Änderungen, mit ersetztem Namen. Eine neue Anmeldung beginnt von vorn.',
      deleteConfirm: 'Jetzt alle Ihre Daten bei Mailissa löschen? Das lässt sich nicht rückgängig machen.',
      deleteNow: 'Meine Daten löschen',
      deleted: 'Ihre Daten wurden gelöscht.',
      kept: 'Behalten: {{table}} – {{reason}}',
      failed: 'Das hat nicht geklappt: {{message}}',
      complain: 'Sie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).',
      queueTitle: 'Datenschutzanfragen',
      queueEmpty: 'Keine Anfragen.',
      overdue: 'Überfällig',
      due: 'Fällig {{when}}',
      received: 'Eingegangen {{when}}',
      identity: 'Identitätsprüfung: {{check}}',
      extend: 'Um zwei Monate verlängern',
      extendPrompt: 'Grund der Verlängerung (wird der Person gesendet):',
      reply: 'Antwort aus Vorlage',
      closeDone: 'Als erledigt schließen',
      closeRejected: 'Ablehnen',
      notePrompt: 'Notiz für das Protokoll:',
      trail: 'Verlauf',
      tenantDeletions: 'Gelöschte Organisationen',
      exportUser: 'Daten exportieren',
      eraseUser: 'Daten löschen',
      eraseUserConfirm:
        'Alle Daten von {{name}} bei Mailissa löschen? Das lässt sich nicht rückgängig machen.',
      tenancyTitle: 'Ende der Nutzung',
      tenancyIntro:
        'Wenn Ihre Organisation Mailissa nicht mehr nutzt, können Sie die Nutzung hier beenden. Laden Sie vorher die Konfiguration und den Verlauf der Organisation herunter: {{days}} Tage nach Ihrer Bestätigung löscht ein Job alle Daten Ihrer Organisation bei Mailissa.',
      tenancyExport: 'Daten der Organisation herunterladen (JSON)',
      tenancyDeletes: 'Dann gelöscht',
      tenancyRows: '{{table}}: {{count}} Einträge',
      tenancyKeeps: 'Wegen gesetzlicher Aufbewahrungspflicht behalten',
      tenancyKept: '{{table}}: {{reason}}',
      tenancyMicrosoft:
        'In Ihrem Microsoft 365: {{categories}} Kategorien und {{subscriptions}} Abonnements für Änderungsbenachrichtigungen, die Mailissa angelegt hat, werden entfernt, solange Ihre Organisation Mailissa den Zugriff noch erlaubt.',
      tenancyEnd: 'Nutzung beenden…',
      tenancyConfirmTitle: 'Nutzung beenden?',
      tenancyConfirm:
        'Alle Daten von {{organisation}} bei Mailissa werden am {{date}} gelöscht. Bis dahin können Sie das zurücknehmen. Die Benutzer arbeiten bis zur Löschung weiter.',
      tenancyConfirmButton: 'Nutzung beenden',
      tenancyCancel: 'Abbrechen',
      tenancyEnding:
        'Die Nutzung endet: Die Daten Ihrer Organisation werden am {{date}} gelöscht (beantragt am {{requested}}).',
      tenancyWithdraw: 'Ende der Nutzung zurücknehmen',
      tenancyWithdrawn: 'Das Ende der Nutzung wurde zurückgenommen; es wird nichts gelöscht.',
      ...flatten(labelsDe),
    },
  },
};

/** A surface's texts with the rights texts added. */
export function withRightsTexts<T extends object>(texts: SurfaceTexts<T>): SurfaceTexts<T> {
  return { en: { ...texts.en, ...rightsTexts.en }, de: { ...texts.de, ...rightsTexts.de } };
}
