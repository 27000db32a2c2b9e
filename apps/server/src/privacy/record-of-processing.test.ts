import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { dataInventory } from './data-inventory.js';
import {
  personalColumns,
  policyRows,
  recordOfProcessing,
  recordOfProcessingCsv,
} from './record-of-processing.js';

describe('record of processing activities', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    OPERATOR_COMPANY: 'Acme GmbH',
    OPERATOR_DPO_NAME: 'DPO "Nord"',
  });
  const options = {
    operator: config.operatorIdentity,
    retention: { usageLogRetentionDays: 9, consentRecordRetentionDays: 400 },
    now: new Date('2026-01-02T03:04:05Z'),
  };

  it('lists every personal column of the inventory once, grouped into activities', () => {
    const record = recordOfProcessing(options);
    expect(record.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(record.controller?.name).toBe('Acme GmbH');
    expect(record.dataProtectionOfficer?.name).toBe('DPO "Nord"');
    const listed = record.activities.flatMap((activity) =>
      activity.dataCategories.map((category) => `${category.table}.${category.column}`),
    );
    expect(listed.sort()).toEqual(
      personalColumns()
        .map((c) => `${c.table}.${c.column}`)
        .sort(),
    );
    const usage = record.activities.find((activity) =>
      activity.dataCategories.some((category) => category.table === 'usage_log'),
    );
    expect(usage?.legalBases).toEqual(['Legitimate interest, Art. 6(1)(f) GDPR']);
    expect(usage?.retention).toEqual(['Deleted after 9 days; only anonymous daily totals remain']);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('exports the same as CSV, one line per personal column, safely quoted', () => {
    const csv = recordOfProcessingCsv(options);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"activity_id","surface","purpose","legal_bases","data_subjects","table","column","data_category","collected_when","retention","recipients","third_country_transfers"',
    );
    expect(lines).toHaveLength(personalColumns().length + 1);
    expect(csv).toContain('"consent_records","consent_id"');
    expect(csv).toContain('Deleted 400 days after the choice');
  });

  it('gives the privacy policy one row per purpose, moment, basis and retention', () => {
    const rows = policyRows('website', 'de', options.retention);
    expect(rows.some((row) => row.what.some((item) => item.startsWith('Ihre IP-Adresse, gekürzt')))).toBe(
      true,
    );
    expect(new Set(rows.map((row) => JSON.stringify(row))).size).toBe(rows.length);
    expect(Object.keys(dataInventory)).toContain('usage_log');
  });
});
