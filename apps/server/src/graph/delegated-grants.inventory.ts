import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

const grantColumn = {
  personal: true,
  when: {
    en: 'When you transfer a mail to a Microsoft 365 target that Mailissa writes to as you (OneDrive, Teams, Planner, To Do)',
    de: 'Wenn Sie eine E-Mail an ein Microsoft-365-Ziel übertragen, in das Mailissa in Ihrem Namen schreibt (OneDrive, Teams, Planner, To Do)',
  },
  why: {
    en: 'So the transfer, which runs in the background, can act in Microsoft 365 with your permissions and no more',
    de: 'Damit die im Hintergrund laufende Übertragung in Microsoft 365 mit Ihren Berechtigungen handeln kann, und mit keinen weiteren',
  },
  legalBasis: 'art6_1b_contract',
  retention: {
    en: 'Replaced at each such transfer; removed with your account. Microsoft lets the token expire after 90 days without use',
    de: 'Wird bei jeder solchen Übertragung ersetzt; mit Ihrem Konto gelöscht. Microsoft lässt das Token nach 90 Tagen ohne Nutzung verfallen',
  },
  surface: 'addin_and_portal',
} as const;

// Declared beside the feature and spread into privacy/data-inventory.ts.
export const delegatedGrantsInventory: Record<string, TableDeclaration> = {
  delegated_grants: {
    tenant_id: { personal: false },
    user_id: {
      ...grantColumn,
      what: { en: 'Whose Microsoft 365 access (user ID)', de: 'Wessen Microsoft-365-Zugriff (Benutzer-ID)' },
    },
    key_id: { personal: false },
    sealed: {
      ...grantColumn,
      what: {
        en: 'Your Microsoft 365 access tokens for Mailissa, encrypted (AES-256-GCM)',
        de: 'Ihre Microsoft-365-Zugriffstoken für Mailissa, verschlüsselt (AES-256-GCM)',
      },
    },
    version: { personal: false },
    created_at: { personal: false },
    updated_at: { personal: false },
  },
};

/** A user's own grant; the sealed tokens are a key to their account, not information about them. */
export const delegatedGrantsSubjects: Record<string, TableSubjects> = {
  delegated_grants: { keys: { userId: 'user_id', tenantId: 'tenant_id' }, omitFromExport: ['sealed'] },
};
