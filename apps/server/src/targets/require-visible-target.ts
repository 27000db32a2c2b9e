import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findTarget } from './find-target.js';
import type { GroupMembershipCache } from './group-membership-cache.js';
import type { TargetRow } from './targets.rows.js';
import type { Viewer } from './visible-targets.js';

/**
 * The target, if it exists, is live and the user may see it; otherwise 404 `target_not_found`, the
 * same answer as for a target that does not exist, so its existence is not revealed. A visible but
 * switched-off target is 409 `target_disabled`. Reads in one transaction, then resolves group
 * memberships (maybe asking Graph) outside it, so no connection is held during a Graph round trip.
 */
export async function requireVisibleTarget(
  db: Database,
  tenantId: string,
  targetId: string,
  viewer: Viewer,
  memberships: GroupMembershipCache,
): Promise<TargetRow> {
  const notFound = () => new AppError(404, 'target_not_found', 'This target does not exist.');
  const { target, rules } = await withTenant(db, tenantId, async (tx) => {
    const found = await findTarget(tx, tenantId, targetId);
    const visibility = await tx.query<{ principal_type: 'user' | 'group'; principal_id: string }>(
      `select principal_type, principal_id from target_visibility where tenant_id = $1 and target_id = $2`,
      [tenantId, targetId],
    );
    return { target: found, rules: visibility };
  });
  if (!target) throw notFound();
  if (!target.visible_to_everyone) {
    const objectId = viewer.objectId.toLowerCase();
    const named = rules.rows.some((r) => r.principal_type === 'user' && r.principal_id === objectId);
    const groups = rules.rows.filter((r) => r.principal_type === 'group').map((r) => r.principal_id);
    let visible = named;
    if (!visible && groups.length > 0) {
      const mine = await memberships.groupsOf(viewer.microsoftTenantId, objectId);
      visible = groups.some((group) => mine.has(group));
    }
    if (!visible) throw notFound();
  }
  if (!target.enabled) throw new AppError(409, 'target_disabled', 'This target is switched off.');
  return target;
}
