import { type AdminTarget, type Visibility, withoutHiddenFormatting } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { bumpTenantConfig } from './bump-tenant-config.js';
import { listAdminTargets } from './list-admin-targets.js';

/**
 * Replaces who sees a target: everyone, or exactly the listed users and groups (their object id and
 * display name are all that is kept, the name without hidden formatting). Takes effect with the next
 * add-in request. Inside withTenant().
 */
export async function setTargetVisibility(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  targetId: string,
  visibility: Visibility,
): Promise<AdminTarget> {
  const [before] = await listAdminTargets(tx, tenantId, targetId);
  if (!before) throw new AppError(404, 'target_not_found', 'This target does not exist.');
  const entries = visibility.everyone ? [] : visibility.entries;
  await tx.query(
    'update targets set visible_to_everyone = $3, updated_at = now() where tenant_id = $1 and id = $2',
    [tenantId, targetId, visibility.everyone],
  );
  await tx.query('delete from target_visibility where tenant_id = $1 and target_id = $2', [
    tenantId,
    targetId,
  ]);
  if (entries.length > 0) {
    await tx.query(
      `insert into target_visibility (tenant_id, target_id, principal_type, principal_id, display_name)
       select $1, $2, e.type, e.id, e.name
         from unnest($3::text[], $4::uuid[], $5::text[]) as e (type, id, name)
       on conflict do nothing`,
      [
        tenantId,
        targetId,
        entries.map((e) => e.type),
        entries.map((e) => e.id.toLowerCase()),
        // Names come from the directory search; a bidi override in one must not reach the portal or audit.
        entries.map((e) => withoutHiddenFormatting(e.displayName).trim() || e.id),
      ],
    );
  }
  const [after] = await listAdminTargets(tx, tenantId, targetId);
  if (!after) throw new Error('a target vanished while its visibility changed');
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'target.visibility_changed',
    subject: { type: 'target', id: targetId, label: after.title.en },
    before: before.visibility,
    after: after.visibility,
  });
  await bumpTenantConfig(tx, tenantId);
  return after;
}
