import type { Queryable } from '../db/database.js';
import type { TargetRow } from './targets.rows.js';

/** The tenant's enabled targets, by category and title. Must run inside withTenant(). */
export async function listEnabledTargets(tx: Queryable, tenantId: string): Promise<TargetRow[]> {
  const result = await tx.query<TargetRow>(
    `select * from targets where tenant_id = $1 and enabled order by category, title, id`,
    [tenantId],
  );
  return result.rows;
}
