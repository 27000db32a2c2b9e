import type { Queryable } from '../db/database.js';
import { maskEmail } from './mask-email.js';

/** SQL: the subscription `s` lets its tenant's users in at `now` (see tenancy/find-subscribed-tenant.ts). */
export function liveSubscriptionSql(nowParameter: string): string {
  return `(s.state in ('trial', 'active', 'past_due') and s.period_end > ${nowParameter})`;
}

export interface SubscriptionHolder {
  accountId: string | null;
  /** The holder's account address, masked; null when the subscription was not set up here. */
  maskedEmail: string | null;
  live: boolean;
}

/** Who holds the tenant's subscription, if it has one. */
export async function findSubscriptionHolder(
  db: Queryable,
  tenantId: string,
  now: Date,
): Promise<SubscriptionHolder | null> {
  const found = await db.query<{ account_id: string | null; email: string | null; live: boolean }>(
    `select s.account_id, a.email,
            ${liveSubscriptionSql('$2')} as live
       from subscriptions s left join registration_accounts a on a.id = s.account_id
      where s.tenant_id = $1`,
    [tenantId, now],
  );
  const row = found.rows[0];
  if (!row) return null;
  return {
    accountId: row.account_id,
    maskedEmail: row.email ? maskEmail(row.email) : null,
    live: row.live,
  };
}
