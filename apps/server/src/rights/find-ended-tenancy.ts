import type { Queryable } from '../db/database.js';
import { SUBSCRIPTION_ENDED_AT } from './find-due-tenancies.js';

const DAY_MS = 86_400_000;

export interface EndedTenancy {
  tenantId: string;
  tenantName: string;
  endedAt: Date;
  /** When the nightly job deletes the organisation's data (find-due-tenancies.ts). */
  deleteAfter: Date;
}

/**
 * The tenancy of a buyer's account whose subscription has ended and whose data is not deleted yet:
 * its administrators can no longer sign in to the portal, so the buyer's account is where the
 * organisation's configuration and history can still be exported until `deleteAfter`
 * (docs/decisions/165). Null while the subscription grants access, or when there is none.
 */
export async function findEndedTenancy(
  db: Queryable,
  accountId: string,
  now: Date,
  deletionDays: number,
): Promise<EndedTenancy | null> {
  const found = await db.query<{
    tenant_id: string;
    name: string;
    ended_at: Date;
    delete_after: Date | null;
  }>(
    `select t.id as tenant_id, t.name, ${SUBSCRIPTION_ENDED_AT} as ended_at, e.delete_after
       from registration_accounts a
       join tenants t on t.id = a.tenant_id
       join subscriptions s on s.tenant_id = t.id and s.account_id = a.id
       left join tenancy_endings e on e.tenant_id = t.id
      where a.id = $1 and ${SUBSCRIPTION_ENDED_AT} <= $2`,
    [accountId, now],
  );
  const row = found.rows[0];
  if (!row) return null;
  const endedAt = new Date(row.ended_at);
  return {
    tenantId: row.tenant_id,
    tenantName: row.name,
    endedAt,
    // An end the administrators asked for keeps its own date (the job reads it the same way).
    deleteAfter: row.delete_after
      ? new Date(row.delete_after)
      : new Date(endedAt.getTime() + deletionDays * DAY_MS),
  };
}
