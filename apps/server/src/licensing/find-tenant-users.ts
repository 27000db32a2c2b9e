import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

export interface TenantUserRef {
  id: string;
  displayName: string;
  email: string;
}

/**
 * The tenant's users with these ids; 404 `user_not_found` naming the first id that is not one of
 * them (another tenant's user looks exactly like a missing one). Must run inside withTenant().
 */
export async function findTenantUsers(
  tx: Queryable,
  tenantId: string,
  userIds: readonly string[],
): Promise<TenantUserRef[]> {
  const unique = [...new Set(userIds)];
  const result = await tx.query<{ id: string; display_name: string; email: string }>(
    'select id, display_name, email from users where tenant_id = $1 and id = any($2::uuid[])',
    [tenantId, unique],
  );
  if (result.rows.length !== unique.length) {
    const found = new Set(result.rows.map((row) => row.id));
    const missing = unique.find((id) => !found.has(id));
    throw new AppError(404, 'user_not_found', `There is no user ${missing} in your organisation.`, {
      extra: { userId: missing },
    });
  }
  return result.rows.map((row) => ({ id: row.id, displayName: row.display_name, email: row.email }));
}
