import type { AdminUser, AdminUsersPage, AdminUsersQuery, LicensedModule } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { rolesOf, type UserRow } from '../tenancy/tenancy.rows.js';

const ORDER: Record<AdminUsersQuery['sort'], string> = {
  name: 'lower(u.display_name)',
  email: 'lower(u.email)',
  lastSeen: 'u.last_seen_at',
};

/** `%`, `_` and `\` are literal in what the administrator types. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * One page of the tenant's users, searched (name or e-mail contains the text) and sorted in the
 * database, so the portal stays quick with 10,000 users: it never loads them all. The id breaks ties
 * so pages neither overlap nor skip. Must run inside withTenant().
 */
export async function listAdminUsers(
  tx: Queryable,
  tenantId: string,
  query: AdminUsersQuery,
): Promise<AdminUsersPage> {
  const direction = query.direction === 'desc' ? 'desc' : 'asc';
  const search = query.search ? likePattern(query.search) : null;
  const result = await tx.query<UserRow & { licences: LicensedModule[] | null; total: number }>(
    `select u.*, count(*) over ()::int as total,
            (select array_agg(l.module order by l.module) from licence_assignments l
              where l.tenant_id = u.tenant_id and l.user_id = u.id) as licences
       from users u
      where u.tenant_id = $1
        and ($2::text is null or lower(u.display_name) like $2 or lower(u.email) like $2)
      order by ${ORDER[query.sort]} ${direction}, u.id ${direction}
      limit $3 offset $4`,
    [tenantId, search, query.pageSize, (query.page - 1) * query.pageSize],
  );
  let total = result.rows[0]?.total;
  if (total === undefined) {
    // A page past the end has no rows to carry the count.
    const counted = await tx.query<{ total: number }>(
      `select count(*)::int as total from users u
        where u.tenant_id = $1 and ($2::text is null or lower(u.display_name) like $2 or lower(u.email) like $2)`,
      [tenantId, search],
    );
    total = counted.rows[0]?.total ?? 0;
  }
  const users: AdminUser[] = result.rows.map((row) => ({
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    roles: rolesOf(row),
    licences: row.licences ?? [],
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  }));
  return { users, total, page: query.page, pageSize: query.pageSize };
}
