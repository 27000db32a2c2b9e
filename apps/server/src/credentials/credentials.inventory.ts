import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

const credentialColumn = {
  personal: true,
  when: {
    en: 'When you store your sign-in details for a target system (e.g. Jira, WebDAV) in Mailissa',
    de: 'Wenn Sie Ihre Anmeldedaten für ein Zielsystem (z. B. Jira, WebDAV) in Mailissa speichern',
  },
  why: {
    en: 'So Mailissa can file mails into that system on your behalf',
    de: 'Damit Mailissa E-Mails in Ihrem Namen in diesem System ablegen kann',
  },
  legalBasis: 'art6_1b_contract',
  retention: {
    en: 'Until you or an administrator remove them, or the target or your account is deleted',
    de: 'Bis Sie oder ein Administrator sie entfernen oder das Ziel oder Ihr Konto gelöscht wird',
  },
  surface: 'addin_and_portal',
} as const;

const visibilityColumn = {
  personal: true,
  when: {
    en: 'When an administrator makes a target available to you or to a group you belong to',
    de: 'Wenn ein Administrator ein Ziel für Sie oder eine Ihrer Gruppen freigibt',
  },
  why: {
    en: 'So only the chosen people see the target in Outlook',
    de: 'Damit nur die ausgewählten Personen das Ziel in Outlook sehen',
  },
  legalBasis: 'art6_1b_contract',
  retention: {
    en: 'Until the administrator removes you or the group from the target, or deletes the target',
    de: 'Bis der Administrator Sie oder die Gruppe vom Ziel entfernt oder das Ziel löscht',
  },
  surface: 'addin_and_portal',
} as const;

// Declared here beside the feature and spread into privacy/data-inventory.ts.
export const credentialsInventory: Record<string, TableDeclaration> = {
  credentials: {
    id: { personal: false },
    tenant_id: { personal: false },
    user_id: {
      ...credentialColumn,
      what: { en: 'Whose credentials (user ID)', de: 'Wessen Anmeldedaten (Benutzer-ID)' },
    },
    target_id: { personal: false },
    key_id: { personal: false },
    sealed: {
      ...credentialColumn,
      what: {
        en: 'Your credentials for the target system, encrypted (AES-256-GCM)',
        de: 'Ihre Anmeldedaten für das Zielsystem, verschlüsselt (AES-256-GCM)',
      },
    },
    created_at: { personal: false },
    updated_at: { personal: false },
    last_used_at: {
      ...credentialColumn,
      what: {
        en: 'When your credentials were last used',
        de: 'Wann Ihre Anmeldedaten zuletzt verwendet wurden',
      },
    },
  },
  target_visibility: {
    tenant_id: { personal: false },
    target_id: { personal: false },
    principal_type: { personal: false },
    principal_id: {
      ...visibilityColumn,
      what: {
        en: 'Microsoft 365 ID of a user or group a target is made available to',
        de: 'Microsoft-365-ID eines Benutzers oder einer Gruppe, für die ein Ziel freigegeben ist',
      },
    },
    display_name: {
      ...visibilityColumn,
      what: {
        en: 'Name of a user or group a target is made available to',
        de: 'Name eines Benutzers oder einer Gruppe, für die ein Ziel freigegeben ist',
      },
    },
  },
};

/** How the rows tie to a person: a user's own credentials; visibility rules belong to the tenant. */
export const credentialsSubjects: Record<string, TableSubjects> = {
  // The sealed secret is the system's key to someone's account, not information about the person.
  credentials: { keys: { userId: 'user_id', tenantId: 'tenant_id' }, omitFromExport: ['sealed'] },
  target_visibility: { keys: { tenantId: 'tenant_id' } },
};
