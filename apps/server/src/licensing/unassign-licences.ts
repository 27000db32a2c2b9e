import type { LicensedModule, SeatUsage } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { findTenantUsers } from './find-tenant-users.js';
import { getSeatUsage, usageOf } from './get-seat-usage.js';
import { lockTenantForLicensing } from './lock-tenant-for-licensing.js';

/** Takes `module` away from every listed user who holds it, each one an audit entry. Inside withTenant(). */
export async function unassignLicences(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  module: LicensedModule,
  userIds: readonly string[],
): Promise<{ changed: number; usage: SeatUsage }> {
  await lockTenantForLicensing(tx, tenantId);
  const users = await findTenantUsers(tx, tenantId, userIds);
  const removed = await tx.query<{ user_id: string }>(
    `delete from licence_assignments where tenant_id = $1 and module = $2 and user_id = any($3::uuid[])
     returning user_id`,
    [tenantId, module, users.map((user) => user.id)],
  );
  const removedIds = new Set(removed.rows.map((row) => row.user_id));
  for (const user of users.filter((candidate) => removedIds.has(candidate.id))) {
    await recordAuditEvent(tx, tenantId, actor, {
      action: 'licence.unassigned',
      subject: { type: 'user', id: user.id, label: `${user.displayName} <${user.email}>` },
      before: { module, licensed: true },
      after: { module, licensed: false },
    });
  }
  return { changed: removedIds.size, usage: usageOf(await getSeatUsage(tx, tenantId), module) };
}
