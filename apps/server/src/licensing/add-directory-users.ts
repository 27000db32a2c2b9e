import type { Queryable } from '../db/database.js';
import type { DirectoryUser } from '../directory/list-group-member-users.js';

/**
 * The Mailissa user ids of these directory users, creating a row for those who have never started
 * Mailissa, from the directory's name and address, so an administrator can license a group before
 * its members first sign in (docs/decisions/017). Such rows carry no role; their sign-in later
 * finds them by object id. Must run inside withTenant().
 */
export async function addDirectoryUsers(
  tx: Queryable,
  tenantId: string,
  members: readonly DirectoryUser[],
): Promise<{ userIds: string[]; added: number }> {
  if (members.length === 0) return { userIds: [], added: 0 };
  const result = await tx.query<{ id: string; inserted: boolean }>(
    `with incoming as (
       select * from unnest($2::uuid[], $3::text[], $4::text[]) as m (object_id, email, display_name)
     ), added as (
       insert into users (tenant_id, entra_object_id, email, display_name)
       select $1, object_id, left(email, 320), left(display_name, 256) from incoming
       on conflict (tenant_id, entra_object_id) do nothing
       returning id, entra_object_id
     )
     select id, true as inserted from added
     union all
     select u.id, false from users u join incoming i on i.object_id = u.entra_object_id
      where u.tenant_id = $1 and not exists (select 1 from added a where a.entra_object_id = u.entra_object_id)`,
    [
      tenantId,
      members.map((member) => member.objectId),
      members.map((member) => member.email),
      members.map((member) => member.displayName),
    ],
  );
  return {
    userIds: result.rows.map((row) => row.id),
    added: result.rows.filter((row) => row.inserted).length,
  };
}
