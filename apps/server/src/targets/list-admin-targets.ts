import type { AdminTarget } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { type TargetRow, toAdminTarget, type VisibilityRow } from './targets.rows.js';

/** Every live target of the tenant with settings and visibility, for the portal. Inside withTenant(). */
export async function listAdminTargets(
  tx: Queryable,
  tenantId: string,
  targetId?: string,
): Promise<AdminTarget[]> {
  const targets = await tx.query<TargetRow>(
    `select * from targets where tenant_id = $1 and deleted_at is null and ($2::uuid is null or id = $2)
      order by title_en, id`,
    [tenantId, targetId ?? null],
  );
  const visibility = await tx.query<VisibilityRow>(
    `select target_id, principal_type, principal_id, display_name from target_visibility
      where tenant_id = $1 and ($2::uuid is null or target_id = $2) order by principal_type, display_name`,
    [tenantId, targetId ?? null],
  );
  return targets.rows.map((row) => toAdminTarget(row, visibility.rows));
}
