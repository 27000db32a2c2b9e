import type { Queryable } from '../db/database.js';
import type { TargetRow } from './targets.rows.js';

/**
 * One live (not deleted) target of the tenant, or undefined (also for another tenant's id).
 * Must run inside withTenant().
 */
export async function findTarget(
  tx: Queryable,
  tenantId: string,
  targetId: string,
): Promise<TargetRow | undefined> {
  const result = await tx.query<TargetRow>(
    'select * from targets where tenant_id = $1 and id = $2 and deleted_at is null',
    [tenantId, targetId],
  );
  return result.rows[0];
}
