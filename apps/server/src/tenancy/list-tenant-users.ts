import type { LicensedModule, Role } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { rolesOf, type UserRow } from './tenancy.rows.js';

export interface TenantUserListing {
  id: string;
  displayName: string;
  email: string;
  roles: Role[];
  licences: LicensedModule[];
  firstSeenAt: string;
  lastSeenAt: string;
}

/** The tenant's users with roles and licences, for the portal. Must run inside withTenant(). */
export async function listTenantUsers(tx: Queryable, tenantId: string): Promise<TenantUserListing[]> {
  const result = await tx.query<UserRow & { licences: LicensedModule[] | null }>(
    `select u.*,
            (select array_agg(l.module order by l.module) from licence_assignments l
              where l.tenant_id = u.tenant_id and l.user_id = u.id) as licences
       from users u where u.tenant_id = $1
      order by u.display_name, u.email`,
    [tenantId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    roles: rolesOf(row),
    licences: row.licences ?? [],
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  }));
}
