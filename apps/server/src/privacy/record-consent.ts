import type { Queryable } from '../db/database.js';

export interface ConsentRecordInput {
  consentId: string;
  recordedAt: Date;
  policyRevision: string;
  preferences: boolean;
  statistics: boolean;
  gpc: boolean;
  ipTruncated: string;
  browser: string | null;
}

/** Stores the proof of one cookie choice (server time, revision, categories, truncated address). */
export async function recordConsent(db: Queryable, input: ConsentRecordInput): Promise<void> {
  await db.query(
    `insert into consent_records
       (consent_id, recorded_at, policy_revision, preferences, statistics, gpc, ip_truncated, browser)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      input.consentId,
      input.recordedAt.toISOString(),
      input.policyRevision,
      input.preferences,
      input.statistics,
      input.gpc,
      input.ipTruncated,
      input.browser,
    ],
  );
}
