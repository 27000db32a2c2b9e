import type { PersonalColumn, TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

// Declared beside the feature and spread into privacy/data-inventory.ts (issue 9 item 5).

const watchedMailbox: PersonalColumn = {
  personal: true,
  what: {
    en: 'Microsoft 365 ID of a mailbox whose copies of team mails Mailissa keeps in step with the team',
    de: 'Microsoft-365-ID eines Postfachs, dessen Kopien von Team-E-Mails Mailissa mit dem Team abgleicht',
  },
  when: {
    en: 'When you or a shared mailbox you use belong to a Mailissa Team team',
    de: 'Wenn Sie oder ein von Ihnen genutztes freigegebenes Postfach zu einem Team von Mailissa Team gehören',
  },
  why: {
    en: 'So team categories appear in Outlook on every member’s copy, and categories set in Outlook reach the team',
    de: 'Damit Team-Kategorien in Outlook auf der Kopie jedes Mitglieds erscheinen und in Outlook gesetzte Kategorien das Team erreichen',
  },
  legalBasis: 'art6_1b_contract',
  retention: {
    en: 'Until the mailbox no longer belongs to any team (checked every 10 minutes), then deleted',
    de: 'Bis das Postfach zu keinem Team mehr gehört (alle 10 Minuten geprüft), dann gelöscht',
  },
  surface: 'addin_and_portal',
};

export const outlookSyncInventory: Record<string, TableDeclaration> = {
  outlook_subscriptions: {
    id: { personal: false },
    tenant_id: { personal: false },
    mailbox_object_id: watchedMailbox,
    graph_subscription_id: { personal: false },
    client_state_hash: { personal: false },
    expires_at: { personal: false },
    // Graph's delta link names the mailbox (its ID) in its path.
    delta_link: watchedMailbox,
    last_notification_at: { personal: false },
    created_at: { personal: false },
    updated_at: { personal: false },
  },
};

export const outlookSyncSubjects: Record<string, TableSubjects> = {
  outlook_subscriptions: {
    // A mailbox may be a shared one used by several people: the rows belong to the tenant.
    keys: { tenantId: 'tenant_id' },
    omitFromExport: ['client_state_hash', 'delta_link'],
  },
};
