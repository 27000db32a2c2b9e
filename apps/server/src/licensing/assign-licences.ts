import type { LicensedModule, SeatUsage } from '@mailissa/contracts';
import type { AuditActor } from '../audit/record-audit-event.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findTenantUsers } from './find-tenant-users.js';
import { getSeatUsage, usageOf } from './get-seat-usage.js';
import { lockTenantForLicensing } from './lock-tenant-for-licensing.js';

/**
 * Gives `module` to every listed user who lacks it — all or nothing: when the free seats do not reach
 * for all of them, nothing is assigned and the answer is 409 `no_seats_left`. Runs under the tenant's
 * licensing lock, so two administrators taking the last seat at once cannot both get it. Each new
 * assignment is an audit entry in the same transaction. Must run inside withTenant().
 */
export async function assignLicences(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  module: LicensedModule,
  userIds: readonly string[],
): Promise<{ changed: number; usage: SeatUsage }> {
  await lockTenantForLicensing(tx, tenantId);
  const users = await findTenantUsers(tx, tenantId, userIds);
  const held = await tx.query<{ user_id: string }>(
    `select user_id from licence_assignments where tenant_id = $1 and module = $2 and user_id = any($3::uuid[])`,
    [tenantId, module, users.map((user) => user.id)],
  );
  const holding = new Set(held.rows.map((row) => row.user_id));
  const newcomers = users.filter((user) => !holding.has(user.id));
  const before = usageOf(await getSeatUsage(tx, tenantId), module);
  if (newcomers.length === 0) return { changed: 0, usage: before };
  const free = before.seats - before.assigned;
  if (newcomers.length > free) {
    throw new AppError(
      409,
      'no_seats_left',
      free <= 0
        ? `All ${before.seats} ${module} seats are taken. Unassign a licence or buy more seats.`
        : `Only ${free} ${module} seats are free for ${newcomers.length} users. Nothing was assigned.`,
      { extra: { module, seats: before.seats, assigned: before.assigned, requested: newcomers.length } },
    );
  }
  await tx.query(
    `insert into licence_assignments (tenant_id, user_id, module)
     select $1, id, $2 from unnest($3::uuid[]) as id
     on conflict do nothing`,
    [tenantId, module, newcomers.map((user) => user.id)],
  );
  for (const user of newcomers) {
    await recordAuditEvent(tx, tenantId, actor, {
      action: 'licence.assigned',
      subject: { type: 'user', id: user.id, label: `${user.displayName} <${user.email}>` },
      before: { module, licensed: false },
      after: { module, licensed: true },
    });
  }
  return {
    changed: newcomers.length,
    usage: { ...before, assigned: before.assigned + newcomers.length },
  };
}
