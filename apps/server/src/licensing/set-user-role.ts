import type { Role } from '@mailissa/contracts';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { rolesOf, type UserRow } from '../tenancy/tenancy.rows.js';
import { lockTenantForLicensing } from './lock-tenant-for-licensing.js';

const COLUMN: Record<Role, 'is_user_admin' | 'is_tenant_admin'> = {
  user_administrator: 'is_user_admin',
  tenant_administrator: 'is_tenant_admin',
};

/**
 * Grants or revokes an admin role. Only a tenant administrator may, and the tenant always keeps at
 * least one: revoking the last one is 409 `last_tenant_administrator`. Runs under the tenant's
 * licensing lock and checks the actor's own role again under it, so two tenant administrators
 * demoting each other at once cannot both succeed (the second is no administrator any more by then).
 * Returns the user's roles afterwards. Must run inside withTenant().
 */
export async function setUserRole(
  tx: Queryable,
  tenantId: string,
  actor: { userId: string; name: string },
  userId: string,
  role: Role,
  granted: boolean,
): Promise<Role[]> {
  await lockTenantForLicensing(tx, tenantId);
  const actorRow = await tx.query<{ is_tenant_admin: boolean }>(
    'select is_tenant_admin from users where tenant_id = $1 and id = $2',
    [tenantId, actor.userId],
  );
  if (!actorRow.rows[0]?.is_tenant_admin) {
    throw new AppError(
      403,
      'tenant_administrator_required',
      'Only tenant administrators of your organisation can do this.',
    );
  }
  const found = await tx.query<UserRow>('select * from users where tenant_id = $1 and id = $2', [
    tenantId,
    userId,
  ]);
  const user = found.rows[0];
  if (!user) throw new AppError(404, 'user_not_found', `There is no user ${userId} in your organisation.`);
  const before = rolesOf(user);
  if (user[COLUMN[role]] === granted) return before;
  if (role === 'tenant_administrator' && !granted) {
    const others = await tx.query(
      'select 1 from users where tenant_id = $1 and is_tenant_admin and id <> $2 limit 1',
      [tenantId, userId],
    );
    if (others.rowCount === 0) {
      throw new AppError(
        409,
        'last_tenant_administrator',
        'Your organisation must keep at least one tenant administrator. Make someone else tenant administrator first.',
      );
    }
  }
  const updated = await tx.query<UserRow>(
    `update users set ${COLUMN[role]} = $3 where tenant_id = $1 and id = $2 returning *`,
    [tenantId, userId, granted],
  );
  const after = rolesOf(updated.rows[0] ?? user);
  await recordAuditEvent(tx, tenantId, actor, {
    action: granted ? 'role.granted' : 'role.revoked',
    subject: { type: 'user', id: user.id, label: `${user.display_name} <${user.email}>` },
    before: { roles: before },
    after: { roles: after },
  });
  return after;
}
