import type { Queryable } from '../db/database.js';

export interface ConsentStatistics {
  policyRevision: string;
  /** Browsers (consent ids) whose latest choice for this revision falls in the period. */
  choices: number;
  preferencesAccepted: number;
  statisticsAccepted: number;
  /** Choices made with Global Privacy Control on (statistics never asked). */
  withGpc: number;
  rejectedAll: number;
}

/** For the operator console: how visitors chose, per policy revision, counting each browser's latest choice. */
export async function consentStatistics(
  db: Queryable,
  options: { since: Date; until: Date },
): Promise<ConsentStatistics[]> {
  const result = await db.query<{
    policy_revision: string;
    choices: number;
    preferences_accepted: number;
    statistics_accepted: number;
    with_gpc: number;
    rejected_all: number;
  }>(
    `with latest as (
       select distinct on (consent_id, policy_revision) *
         from consent_records
        where recorded_at >= $1 and recorded_at < $2
        order by consent_id, policy_revision, recorded_at desc, id desc
     )
     select policy_revision,
            count(*)::int as choices,
            count(*) filter (where preferences)::int as preferences_accepted,
            count(*) filter (where statistics)::int as statistics_accepted,
            count(*) filter (where gpc)::int as with_gpc,
            count(*) filter (where not preferences and not statistics)::int as rejected_all
       from latest group by policy_revision order by policy_revision desc`,
    [options.since.toISOString(), options.until.toISOString()],
  );
  return result.rows.map((row) => ({
    policyRevision: row.policy_revision,
    choices: row.choices,
    preferencesAccepted: row.preferences_accepted,
    statisticsAccepted: row.statistics_accepted,
    withGpc: row.with_gpc,
    rejectedAll: row.rejected_all,
  }));
}
