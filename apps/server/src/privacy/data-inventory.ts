import { auditInventory, auditSubjects } from '../audit/audit.inventory.js';
import { billingInventory, billingSubjects } from '../billing/billing.inventory.js';
import { contactInventory, contactSubjects } from '../contact/contact.inventory.js';
import { credentialsInventory, credentialsSubjects } from '../credentials/credentials.inventory.js';
import { delegatedGrantsInventory, delegatedGrantsSubjects } from '../graph/delegated-grants.inventory.js';
import { licensingInventory, licensingSubjects } from '../licensing/licensing.inventory.js';
import { marketplaceInventory, marketplaceSubjects } from '../marketplace/marketplace.inventory.js';
import { newsletterInventory, newsletterSubjects } from '../newsletter/newsletter.inventory.js';
import { outlookSyncInventory, outlookSyncSubjects } from '../outlook-sync/outlook-sync.inventory.js';
import { registrationInventory, registrationSubjects } from '../registration/registration.inventory.js';
import { rightsInventory, rightsSubjects } from '../rights/rights.inventory.js';
import { teamInventory, teamSubjects } from '../team/team.inventory.js';
import {
  tenantSettingsInventory,
  tenantSettingsSubjects,
} from '../tenant-settings/tenant-settings.inventory.js';
import {
  transferOptionColumns,
  transferOptionsInventory,
  transferOptionsSubjects,
} from '../transfer/transfer-options.inventory.js';
import { websiteInventory, websiteSubjects } from './website.inventory.js';

/**
 * The data inventory: every database column is declared here, either as personal data (what it is,
 * when and why it is collected, the legal basis, how long it is kept, which surface collects it) or
 * as not personal. The privacy policy's tables and the record of processing activities (Art. 30 GDPR)
 * are generated from it, and a test fails when a column exists that is not declared.
 */
export type Surface = 'registration' | 'addin_and_portal' | 'website' | 'operator';
export type LegalBasis =
  | 'art6_1a_consent'
  | 'art6_1b_contract'
  | 'art6_1c_legal_obligation'
  | 'art6_1f_legitimate_interest';

export interface LocalisedText {
  en: string;
  de: string;
}

export interface PersonalColumn {
  personal: true;
  what: LocalisedText;
  when: LocalisedText;
  why: LocalisedText;
  legalBasis: LegalBasis;
  retention: LocalisedText;
  surface: Surface;
}

export interface NonPersonalColumn {
  personal: false;
}

export type ColumnDeclaration = PersonalColumn | NonPersonalColumn;
export type TableDeclaration = Record<string, ColumnDeclaration>;

/**
 * How a table's rows are tied to a person, for the data-subject rights (rights/, docs/decisions/019):
 * which columns hold the user id, e-mail address, tenant or consent id a request is keyed by. The
 * export and the erasure are generated from these declarations, so a feature that declares its table
 * here is covered without code of its own. A table with personal columns declares keys, or says why
 * its rows cannot be attributed to a person (`notAttributable`).
 */
export type SubjectKey = 'userId' | 'email' | 'tenantId' | 'consentId';

export interface LegalHold {
  /** Why the law requires keeping (shown to the person in the reply). */
  reason: LocalisedText;
  /**
   * `keep`: the row is moved into `held_records` (locked: only export and the retention job read it)
   * and erased there when the hold ends. `pseudonymise`: the row stays for the record it belongs to,
   * with the named columns overwritten, per key column that matched; its own retention deletes it.
   */
  mode: 'keep' | 'pseudonymise';
  /** How long a kept row is held, counted from the erasure. */
  holdDays: number;
  /** For `pseudonymise`: per matching key column, the columns to overwrite and their new values. */
  pseudonymise?: Record<string, Record<string, string | null>>;
  /** Only rows this (static, developer-written) SQL condition selects are held; others are erased. */
  appliesWhere?: string;
}

export interface TableSubjects {
  /** The columns that tie a row to a person (or tenant); several columns per key are ORed. */
  keys?: Partial<Record<SubjectKey, string | readonly string[]>>;
  /** Why rows with personal columns cannot be tied to one person (no key exists). */
  notAttributable?: LocalisedText;
  legalHold?: LegalHold;
  /**
   * Tenant-owned rows of a Microsoft 365 user: the customer is the controller, so a website request
   * exports them but erases them only through the person's own self-service or their administrator.
   */
  erasedOnlyWithinTenant?: boolean;
  /**
   * Rows tied to a person through a parent row (a transfer's files through the transfer): selected
   * where `column` is one of the parent's `references` values for the same person. Erased with the
   * parent (foreign key on delete cascade).
   */
  parent?: { table: string; column: string; references: string };
  /** Rows kept in place through an erasure, with the reason told to the person (exported all the same). */
  exemptFromErasure?: LocalisedText;
  /** Columns an export leaves out because they are secrets, not information about the person. */
  omitFromExport?: readonly string[];
}

const notPersonal: NonPersonalColumn = { personal: false };

const whileSubscribed: LocalisedText = {
  en: 'For as long as the subscription runs; deleted 30 days after it ends',
  de: 'Solange das Abonnement läuft; 30 Tage nach dessen Ende gelöscht',
};

/** Transfers (and the file names they record) are deleted by the nightly retention job. */
const transferRetention: LocalisedText = {
  en: '90 days after the transfer, then deleted automatically',
  de: '90 Tage nach der Übertragung, danach automatisch gelöscht',
};
const transferWhen: LocalisedText = {
  en: 'When you transfer a mail with the Outlook add-in',
  de: 'Wenn Sie eine E-Mail mit dem Outlook-Add-in übertragen',
};

/** First and latest sign-in are declared, and shown in the policy, as one item. */
const signInTimes: PersonalColumn = {
  personal: true,
  what: {
    en: 'Time of your first and latest sign-in',
    de: 'Zeitpunkt Ihrer ersten und letzten Anmeldung',
  },
  when: { en: 'At every sign-in', de: 'Bei jeder Anmeldung' },
  why: {
    en: 'So administrators can manage licences of people who no longer use Mailissa',
    de: 'Damit Administratoren Lizenzen von Personen verwalten können, die Mailissa nicht mehr nutzen',
  },
  legalBasis: 'art6_1f_legitimate_interest',
  retention: whileSubscribed,
  surface: 'addin_and_portal',
};

export const dataInventory: Record<string, TableDeclaration> = {
  ...auditInventory,
  ...billingInventory,
  ...marketplaceInventory,
  ...transferOptionsInventory,
  ...credentialsInventory,
  ...delegatedGrantsInventory,
  ...contactInventory,
  ...licensingInventory,
  ...newsletterInventory,
  ...tenantSettingsInventory,
  ...registrationInventory,
  ...websiteInventory,
  ...rightsInventory,
  ...teamInventory,
  ...outlookSyncInventory,
  schema_migrations: { version: notPersonal, name: notPersonal, applied_at: notPersonal },
  // Which worker process runs which job (jobs/worker-leases.ts): process ids and queue names only.
  job_workers: { id: notPersonal, role: notPersonal, started_at: notPersonal, seen_at: notPersonal },
  job_leases: { job_id: notPersonal, queue: notPersonal, worker_id: notPersonal, started_at: notPersonal },
  tenants: {
    id: notPersonal,
    microsoft_tenant_id: {
      personal: true,
      what: { en: 'Microsoft tenant ID of your organisation', de: 'Microsoft-Tenant-ID Ihrer Organisation' },
      when: {
        en: 'When subscribing, and when you sign in to the portal or the add-in',
        de: 'Beim Abonnieren sowie bei der Anmeldung im Portal oder im Add-in',
      },
      why: {
        en: 'To assign signed-in users to their organisation and its Mailissa configuration',
        de: 'Um angemeldete Benutzer ihrer Organisation und deren Mailissa-Konfiguration zuzuordnen',
      },
      legalBasis: 'art6_1b_contract',
      retention: whileSubscribed,
      surface: 'addin_and_portal',
    },
    name: notPersonal,
    state: notPersonal,
    created_at: notPersonal,
    config_version: notPersonal,
    admin_consent_at: notPersonal,
  },
  users: {
    id: notPersonal,
    tenant_id: notPersonal,
    entra_object_id: {
      personal: true,
      what: { en: 'Microsoft 365 user ID', de: 'Microsoft-365-Benutzer-ID' },
      when: {
        en: 'When you first start the Outlook add-in or sign in to the portal',
        de: 'Beim ersten Start des Outlook-Add-ins oder bei der Anmeldung im Portal',
      },
      why: {
        en: 'To recognise you across sign-ins and attach your licences and roles',
        de: 'Um Sie über Anmeldungen hinweg zu erkennen und Ihnen Lizenzen und Rollen zuzuordnen',
      },
      legalBasis: 'art6_1b_contract',
      retention: whileSubscribed,
      surface: 'addin_and_portal',
    },
    email: {
      personal: true,
      what: {
        en: 'E-mail address of the Microsoft 365 user',
        de: 'E-Mail-Adresse des Microsoft-365-Benutzers',
      },
      when: { en: 'When starting the Outlook add-in', de: 'Beim Start des Outlook-Add-ins' },
      why: {
        en: 'To sign you in with Microsoft and show administrators who holds a licence',
        de: 'Zur Anmeldung bei Microsoft und damit Administratoren sehen, wer eine Lizenz hat',
      },
      legalBasis: 'art6_1b_contract',
      retention: whileSubscribed,
      surface: 'addin_and_portal',
    },
    display_name: {
      personal: true,
      what: { en: 'Display name of the Microsoft 365 user', de: 'Anzeigename des Microsoft-365-Benutzers' },
      when: { en: 'When starting the Outlook add-in', de: 'Beim Start des Outlook-Add-ins' },
      why: {
        en: 'To show administrators and colleagues who is who',
        de: 'Damit Administratoren und Kollegen sehen, wer wer ist',
      },
      legalBasis: 'art6_1b_contract',
      retention: whileSubscribed,
      surface: 'addin_and_portal',
    },
    is_user_admin: notPersonal,
    is_tenant_admin: notPersonal,
    first_seen_at: signInTimes,
    last_seen_at: signInTimes,
  },
  subscriptions: {
    id: notPersonal,
    tenant_id: notPersonal,
    plan: notPersonal,
    seats_team: notPersonal,
    seats_transfer: notPersonal,
    auto_assign_licences: notPersonal,
    state: notPersonal,
    period_start: notPersonal,
    period_end: notPersonal,
    created_at: notPersonal,
    // The registration account that started it (its data is declared with registration_accounts).
    account_id: notPersonal,
    cancelled_at: notPersonal,
    // Paid subscriptions (billing/): the provider's ids and the dunning state, about the organisation.
    billing_interval: notPersonal,
    provider_subscription_id: notPersonal,
    cancel_at_period_end: notPersonal,
    past_due_since: notPersonal,
    provider_synced_at: notPersonal,
    // Bought in the Microsoft marketplace (marketplace/): Microsoft's subscription id, about the organisation.
    marketplace_subscription_id: notPersonal,
    collection_method: notPersonal,
  },
  web_sessions: {
    id: notPersonal,
    token_hash: notPersonal,
    app: notPersonal,
    tenant_id: notPersonal,
    user_id: notPersonal,
    operator_email: {
      personal: true,
      what: {
        en: 'E-mail address of the operator staff member',
        de: 'E-Mail-Adresse der Mitarbeiterin oder des Mitarbeiters des Betreibers',
      },
      when: {
        en: 'When signing in to the operator console',
        de: 'Bei der Anmeldung an der Betreiberkonsole',
      },
      why: {
        en: 'To keep the staff member signed in and show who is working',
        de: 'Um die Anmeldung zu halten und anzuzeigen, wer arbeitet',
      },
      legalBasis: 'art6_1f_legitimate_interest',
      retention: { en: 'Until sign-out, at most 12 hours', de: 'Bis zur Abmeldung, höchstens 12 Stunden' },
      surface: 'operator',
    },
    display_name: {
      personal: true,
      what: { en: 'Display name of the signed-in person', de: 'Anzeigename der angemeldeten Person' },
      when: {
        en: 'When signing in to the portal or the operator console',
        de: 'Bei der Anmeldung am Portal oder an der Betreiberkonsole',
      },
      why: { en: 'To show who is signed in', de: 'Um anzuzeigen, wer angemeldet ist' },
      legalBasis: 'art6_1b_contract',
      retention: {
        en: 'Until sign-out or 30 minutes of inactivity, at most 12 hours',
        de: 'Bis zur Abmeldung oder nach 30 Minuten Inaktivität, höchstens 12 Stunden',
      },
      surface: 'addin_and_portal',
    },
    created_at: notPersonal,
    last_activity_at: notPersonal,
    expires_at: notPersonal,
  },
  licence_assignments: {
    tenant_id: notPersonal,
    user_id: notPersonal,
    module: notPersonal,
    assigned_at: notPersonal,
  },
  targets: {
    id: notPersonal,
    tenant_id: notPersonal,
    connector_type: notPersonal,
    category_id: notPersonal,
    title_en: notPersonal,
    title_de: notPersonal,
    settings: notPersonal,
    enabled: notPersonal,
    visible_to_everyone: notPersonal,
    deleted_at: notPersonal,
    created_at: notPersonal,
    updated_at: notPersonal,
  },
  categories: {
    id: notPersonal,
    tenant_id: notPersonal,
    module: notPersonal,
    name_en: notPersonal,
    name_de: notPersonal,
    color: notPersonal,
    position: notPersonal,
    created_at: notPersonal,
    updated_at: notPersonal,
  },
  transfers: {
    id: notPersonal,
    tenant_id: notPersonal,
    target_id: notPersonal,
    created_by: {
      personal: true,
      what: { en: 'Who transferred a mail, and when', de: 'Wer eine E-Mail wann übertragen hat' },
      when: transferWhen,
      why: {
        en: 'To show you and your colleagues that a mail was already transferred, and by whom',
        de: 'Damit Sie und Ihre Kollegen sehen, dass und von wem eine E-Mail bereits übertragen wurde',
      },
      legalBasis: 'art6_1b_contract',
      retention: transferRetention,
      surface: 'addin_and_portal',
    },
    mailbox_object_id: {
      personal: true,
      what: {
        en: 'Microsoft 365 user ID of the mailbox the mail is read from',
        de: 'Microsoft-365-Benutzer-ID des Postfachs, aus dem die E-Mail gelesen wird',
      },
      when: transferWhen,
      why: {
        en: 'To read the mail from your mailbox and only from yours',
        de: 'Um die E-Mail aus Ihrem Postfach und nur aus Ihrem zu lesen',
      },
      legalBasis: 'art6_1b_contract',
      retention: transferRetention,
      surface: 'addin_and_portal',
    },
    message_id: {
      personal: true,
      what: {
        en: 'Identifiers of the transferred mail (no content, no subject)',
        de: 'Kennungen der übertragenen E-Mail (kein Inhalt, kein Betreff)',
      },
      when: transferWhen,
      why: {
        en: 'To fetch the mail for the transfer and to warn when it was transferred before',
        de: 'Um die E-Mail für die Übertragung abzurufen und zu warnen, wenn sie schon übertragen wurde',
      },
      legalBasis: 'art6_1b_contract',
      retention: transferRetention,
      surface: 'addin_and_portal',
    },
    internet_message_id: {
      personal: true,
      what: {
        en: 'Identifiers of the transferred mail (no content, no subject)',
        de: 'Kennungen der übertragenen E-Mail (kein Inhalt, kein Betreff)',
      },
      when: transferWhen,
      why: {
        en: 'To fetch the mail for the transfer and to warn when it was transferred before',
        de: 'Um die E-Mail für die Übertragung abzurufen und zu warnen, wenn sie schon übertragen wurde',
      },
      legalBasis: 'art6_1b_contract',
      retention: transferRetention,
      surface: 'addin_and_portal',
    },
    state: notPersonal,
    attempt_id: notPersonal,
    folder_url: notPersonal,
    failure_reason: notPersonal,
    created_at: notPersonal,
    started_at: notPersonal,
    finished_at: notPersonal,
    ...transferOptionColumns,
  },
  transfer_files: {
    transfer_id: notPersonal,
    tenant_id: notPersonal,
    part_key: notPersonal,
    position: notPersonal,
    name: {
      personal: true,
      what: {
        en: "Names of the files a transfer wrote (they contain the mail's subject and attachment names)",
        de: 'Namen der bei einer Übertragung geschriebenen Dateien (sie enthalten Betreff und Anhangnamen)',
      },
      when: transferWhen,
      why: {
        en: 'To show what was written where, and to finish an interrupted transfer without duplicates',
        de: 'Um zu zeigen, was wohin geschrieben wurde, und eine unterbrochene Übertragung ohne Duplikate abzuschließen',
      },
      legalBasis: 'art6_1b_contract',
      retention: transferRetention,
      surface: 'addin_and_portal',
    },
    size: notPersonal,
    done: notPersonal,
    location: notPersonal,
  },
};

/** The product's own tables (tenancy, sessions, targets, transfers): how their rows tie to a person. */
const coreSubjects: Record<string, TableSubjects> = {
  schema_migrations: {},
  job_workers: {},
  job_leases: {},
  tenants: { keys: { tenantId: 'id' } },
  users: {
    keys: { userId: 'id', email: 'email', tenantId: 'tenant_id' },
    erasedOnlyWithinTenant: true,
  },
  subscriptions: { keys: { tenantId: 'tenant_id' } },
  web_sessions: {
    keys: { userId: 'user_id', email: 'operator_email', tenantId: 'tenant_id' },
    omitFromExport: ['token_hash'],
  },
  licence_assignments: { keys: { userId: 'user_id', tenantId: 'tenant_id' } },
  targets: { keys: { tenantId: 'tenant_id' } },
  categories: { keys: { tenantId: 'tenant_id' } },
  transfers: { keys: { userId: 'created_by', tenantId: 'tenant_id' } },
  transfer_files: {
    keys: { tenantId: 'tenant_id' },
    parent: { table: 'transfers', column: 'transfer_id', references: 'id' },
  },
};

/** Per table, the keys a data-subject request uses (see `TableSubjects`); every table appears here. */
export const subjectInventory: Record<string, TableSubjects> = {
  ...auditSubjects,
  ...billingSubjects,
  ...marketplaceSubjects,
  ...transferOptionsSubjects,
  ...registrationSubjects,
  ...credentialsSubjects,
  ...delegatedGrantsSubjects,
  ...licensingSubjects,
  ...tenantSettingsSubjects,
  ...contactSubjects,
  ...newsletterSubjects,
  ...websiteSubjects,
  ...rightsSubjects,
  ...teamSubjects,
  ...outlookSyncSubjects,
  ...coreSubjects,
};
