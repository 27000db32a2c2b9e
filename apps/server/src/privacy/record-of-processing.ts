import type { Config, OperatorDetails } from '../config/config.js';
import {
  dataInventory,
  type LegalBasis,
  type LocalisedText,
  type PersonalColumn,
  type Surface,
  type TableDeclaration,
} from './data-inventory.js';

/**
 * The privacy policy's "what / when / why" tables and the record of processing activities
 * (Art. 30 GDPR), both generated from the data inventory so they cannot drift from the schema.
 */

export const LEGAL_BASIS_TEXT: Record<LegalBasis, LocalisedText> = {
  art6_1a_consent: { en: 'Consent, Art. 6(1)(a) GDPR', de: 'Einwilligung, Art. 6 Abs. 1 lit. a DSGVO' },
  art6_1b_contract: { en: 'Contract, Art. 6(1)(b) GDPR', de: 'Vertrag, Art. 6 Abs. 1 lit. b DSGVO' },
  art6_1c_legal_obligation: {
    en: 'Legal obligation, Art. 6(1)(c) GDPR',
    de: 'Rechtliche Verpflichtung, Art. 6 Abs. 1 lit. c DSGVO',
  },
  art6_1f_legitimate_interest: {
    en: 'Legitimate interest, Art. 6(1)(f) GDPR',
    de: 'Berechtigtes Interesse, Art. 6 Abs. 1 lit. f DSGVO',
  },
};

export const SURFACE_TEXT: Record<Surface, LocalisedText> = {
  registration: { en: 'Registration portal', de: 'Registrierungsportal' },
  addin_and_portal: { en: 'Outlook add-in and portal', de: 'Outlook-Add-in und Portal' },
  website: { en: 'Website', de: 'Website' },
  operator: { en: 'Operator console', de: 'Betreiberkonsole' },
};

const DATA_SUBJECTS: Record<Surface, string> = {
  registration: 'Customers’ buyers and contract contacts',
  addin_and_portal: 'Microsoft 365 users of customer organisations',
  website: 'Website visitors, people who contact us, newsletter subscribers',
  operator: 'Staff of the operator',
};

export interface RetentionSettings {
  usageLogRetentionDays: number;
  consentRecordRetentionDays: number;
  /** How much of an IPv6 address is kept as its network (48 or 64); texts name it. */
  ipv6NetworkBits?: number;
}

const DEFAULT_RETENTION: RetentionSettings = { usageLogRetentionDays: 7, consentRecordRetentionDays: 1095 };

export function retentionSettings(config: Config): RetentionSettings {
  return {
    usageLogRetentionDays: config.privacy.usageLogRetentionDays,
    consentRecordRetentionDays: config.privacy.consentRecordRetentionDays,
    ipv6NetworkBits: config.privacy.ipv6Prefix,
  };
}

/** Fills the configured periods (and the kept IPv6 network size) into an inventory text. */
export function fillRetention(text: string, settings: RetentionSettings): string {
  return text
    .replaceAll('{ipv6_network_bits}', String(settings.ipv6NetworkBits ?? 48))
    .replaceAll('{usage_log_retention_days}', String(settings.usageLogRetentionDays))
    .replaceAll('{consent_record_retention_days}', String(settings.consentRecordRetentionDays));
}

export interface DeclaredColumn {
  table: string;
  column: string;
  declaration: PersonalColumn;
}

export function personalColumns(
  inventory: Record<string, TableDeclaration> = dataInventory,
): DeclaredColumn[] {
  const out: DeclaredColumn[] = [];
  for (const [table, columns] of Object.entries(inventory)) {
    for (const [column, declaration] of Object.entries(columns)) {
      if (declaration.personal) out.push({ table, column, declaration });
    }
  }
  return out;
}

export interface PolicyRow {
  /** The data items collected together (same when, why, legal basis and retention). */
  what: string[];
  when: string;
  why: string;
  legalBasis: string;
  retention: string;
}

/**
 * One surface's rows for the privacy policy, in one language: items collected at the same moment for
 * the same purpose, on the same basis and kept as long, share one row.
 */
export function policyRows(
  surface: Surface,
  lang: 'en' | 'de',
  settings: RetentionSettings = DEFAULT_RETENTION,
  inventory: Record<string, TableDeclaration> = dataInventory,
): PolicyRow[] {
  const rows = new Map<string, PolicyRow>();
  for (const { declaration } of personalColumns(inventory)) {
    if (declaration.surface !== surface) continue;
    const row: PolicyRow = {
      what: [fillRetention(declaration.what[lang], settings)],
      when: declaration.when[lang],
      why: declaration.why[lang],
      legalBasis: LEGAL_BASIS_TEXT[declaration.legalBasis][lang],
      retention: fillRetention(declaration.retention[lang], settings),
    };
    const key = JSON.stringify([row.when, row.why, row.legalBasis, row.retention]);
    const existing = rows.get(key);
    if (!existing) rows.set(key, row);
    else if (!existing.what.includes(row.what[0] ?? '')) existing.what.push(...row.what);
  }
  return [...rows.values()];
}

export interface ProcessingActivity {
  id: string;
  surface: Surface;
  name: string;
  purpose: string;
  legalBases: string[];
  dataSubjects: string;
  dataCategories: { what: string; collectedWhen: string; table: string; column: string }[];
  recipients: string;
  thirdCountryTransfers: string;
  retention: string[];
}

export interface RecordOfProcessing {
  generatedAt: string;
  controller: {
    name: string;
    address: string[];
    email: string;
    phone: string | null;
    representative: string | null;
  } | null;
  dataProtectionOfficer: { name: string; address: string[]; email: string; phone: string | null } | null;
  technicalAndOrganisationalMeasures: string[];
  activities: ProcessingActivity[];
}

const MEASURES = [
  'TLS for every connection; HSTS; strict Content Security Policy',
  'No full IP address stored or logged: truncated network and a daily-salted keyed hash only; salts deleted after 48 hours',
  'Tenant isolation in every query plus PostgreSQL row-level security',
  'Credentials of target systems encrypted at rest',
  'Retention enforced by scheduled deletion jobs',
  'Rate limits and temporary blocks against attacks',
  'No third-party requests from our web pages; fonts self-hosted',
];

export interface RecordOptions {
  operator?: OperatorDetails;
  retention?: RetentionSettings;
  now?: Date;
  inventory?: Record<string, TableDeclaration>;
}

/** The record of processing activities (Art. 30(1) GDPR) as a JSON-able object, in English. */
export function recordOfProcessing(options: RecordOptions = {}): RecordOfProcessing {
  const settings = options.retention ?? DEFAULT_RETENTION;
  const activities = new Map<string, ProcessingActivity>();
  for (const { table, column, declaration } of personalColumns(options.inventory)) {
    const key = `${declaration.surface}|${declaration.why.en}`;
    let activity = activities.get(key);
    if (!activity) {
      activity = {
        id: `${declaration.surface}-${activities.size + 1}`,
        surface: declaration.surface,
        name: `${SURFACE_TEXT[declaration.surface].en}: ${declaration.why.en}`,
        purpose: declaration.why.en,
        legalBases: [],
        dataSubjects: DATA_SUBJECTS[declaration.surface],
        dataCategories: [],
        recipients: 'None outside the operator; hosting as processor under Art. 28 GDPR',
        thirdCountryTransfers: 'None',
        retention: [],
      };
      activities.set(key, activity);
    }
    const basis = LEGAL_BASIS_TEXT[declaration.legalBasis].en;
    if (!activity.legalBases.includes(basis)) activity.legalBases.push(basis);
    const retention = fillRetention(declaration.retention.en, settings);
    if (!activity.retention.includes(retention)) activity.retention.push(retention);
    activity.dataCategories.push({
      what: fillRetention(declaration.what.en, settings),
      collectedWhen: declaration.when.en,
      table,
      column,
    });
  }
  // Renumber per surface so ids are stable for a given inventory.
  const counters = new Map<Surface, number>();
  const list = [...activities.values()].map((activity) => {
    const next = (counters.get(activity.surface) ?? 0) + 1;
    counters.set(activity.surface, next);
    return { ...activity, id: `${activity.surface}-${next}` };
  });
  const operator = options.operator;
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    controller: operator
      ? {
          name: operator.company,
          address: operator.addressLines,
          email: operator.email,
          phone: operator.phone,
          representative: operator.representative,
        }
      : null,
    dataProtectionOfficer: operator
      ? {
          name: operator.dpo.name,
          address: operator.dpo.addressLines,
          email: operator.dpo.email,
          phone: operator.dpo.phone,
        }
      : null,
    technicalAndOrganisationalMeasures: MEASURES,
    activities: list,
  };
}

function csvField(value: string): string {
  // Quote always; a leading = + - @ could start a formula in a spreadsheet, so it gets a quote mark.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The same record flattened to CSV: one line per personal column (RFC 4180, CRLF line ends). */
export function recordOfProcessingCsv(options: RecordOptions = {}): string {
  const record = recordOfProcessing(options);
  const header = [
    'activity_id',
    'surface',
    'purpose',
    'legal_bases',
    'data_subjects',
    'table',
    'column',
    'data_category',
    'collected_when',
    'retention',
    'recipients',
    'third_country_transfers',
  ];
  const lines = [header.map(csvField).join(',')];
  for (const activity of record.activities) {
    for (const category of activity.dataCategories) {
      lines.push(
        [
          activity.id,
          activity.surface,
          activity.purpose,
          activity.legalBases.join('; '),
          activity.dataSubjects,
          category.table,
          category.column,
          category.what,
          category.collectedWhen,
          activity.retention.join('; '),
          activity.recipients,
          activity.thirdCountryTransfers,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The record as the running system is configured: operator, DPO and retention from configuration. */
export function recordOfProcessingFor(config: Config, now?: Date): RecordOfProcessing {
  return recordOfProcessing({ operator: config.operatorIdentity, retention: retentionSettings(config), now });
}

/** The CSV export as the running system is configured. */
export function recordOfProcessingCsvFor(config: Config, now?: Date): string {
  return recordOfProcessingCsv({
    operator: config.operatorIdentity,
    retention: retentionSettings(config),
    now,
  });
}
