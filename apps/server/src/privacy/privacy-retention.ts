import type { Database } from '../db/database.js';
import { expireRequestRateLimits } from '../http/shared-rate-limit-store.js';
import { expireAbuseNetworks } from './security-guard.js';
import { utcDay } from './usage-log-salts.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionSettings {
  usageLogRetentionDays: number;
  consentRecordRetentionDays: number;
  /** Failure counters of a network are forgotten once their window is over (and any block ended). */
  blockFailureWindowSeconds: number;
}

export interface RetentionOutcome {
  usageRowsAggregated: number;
  usageRowsDeleted: number;
  saltsDeleted: number;
  blocksDeleted: number;
  abuseNetworksDeleted: number;
  rateLimitWindowsDeleted: number;
  consentRecordsDeleted: number;
}

/**
 * Folds raw usage rows older than the retention into daily totals (no address, no hash) and deletes
 * them, in one transaction so a row is never both counted twice and gone.
 */
export async function expireUsageLog(db: Database, now: Date, retentionDays: number) {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  return db.transaction(async (tx) => {
    const aggregated = await tx.query(
      `insert into usage_log_daily (day, path, status, browser, os, requests, bytes_sent, distinct_sources)
       select (occurred_at at time zone 'UTC')::date, path, status, coalesce(browser, ''), coalesce(os, ''),
              sum(requests), coalesce(sum(bytes_sent * requests), 0), count(distinct ip_hash)
         from usage_log_by_source where occurred_at < $1
        group by 1, 2, 3, 4, 5
       on conflict (day, path, status, browser, os) do update set
         requests = usage_log_daily.requests + excluded.requests,
         bytes_sent = usage_log_daily.bytes_sent + excluded.bytes_sent,
         distinct_sources = usage_log_daily.distinct_sources + excluded.distinct_sources`,
      [cutoff],
    );
    const deleted = await tx.query('delete from usage_log where occurred_at < $1', [cutoff]);
    return { aggregated: aggregated.rowCount, deleted: deleted.rowCount };
  });
}

/** Deletes every salt whose day began 48 hours or more before `now`. */
export async function expireUsageLogSalts(db: Database, now: Date): Promise<number> {
  // The salt of day D is in use during D; from D + 2 days (48 h after D began) it is gone.
  const lastKept = utcDay(new Date(now.getTime() - DAY_MS));
  const result = await db.query('delete from usage_log_salts where day < $1', [lastKept]);
  return result.rowCount;
}

export async function expireSecurityBlocks(db: Database, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const result = await db.query('delete from security_blocks where blocked_until < $1', [cutoff]);
  return result.rowCount;
}

export async function expireConsentRecords(db: Database, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const result = await db.query('delete from consent_records where recorded_at < $1', [cutoff]);
  return result.rowCount;
}

/** Everything the website and privacy features must forget by `now`. */
export async function runPrivacyRetention(
  db: Database,
  now: Date,
  settings: RetentionSettings,
): Promise<RetentionOutcome> {
  const usage = await expireUsageLog(db, now, settings.usageLogRetentionDays);
  return {
    usageRowsAggregated: usage.aggregated,
    usageRowsDeleted: usage.deleted,
    saltsDeleted: await expireUsageLogSalts(db, now),
    blocksDeleted: await expireSecurityBlocks(db, now, settings.usageLogRetentionDays),
    abuseNetworksDeleted: await expireAbuseNetworks(db, now, settings.blockFailureWindowSeconds),
    rateLimitWindowsDeleted: await expireRequestRateLimits(db, now),
    consentRecordsDeleted: await expireConsentRecords(db, now, settings.consentRecordRetentionDays),
  };
}
