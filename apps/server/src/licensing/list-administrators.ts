import type { Administrators } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';

/**
 * Who the tenant's administrators are, for anyone signed in: names and e-mail addresses only, so a
 * user without a licence or role knows whom to ask. Must run inside withTenant().
 */
export async function listAdministrators(tx: Queryable, tenantId: string): Promise<Administrators> {
  const result = await tx.query<{
    display_name: string;
    email: string;
    is_user_admin: boolean;
    is_tenant_admin: boolean;
  }>(
    `select display_name, email, is_user_admin, is_tenant_admin from users
      where tenant_id = $1 and (is_user_admin or is_tenant_admin)
      order by lower(display_name), lower(email)`,
    [tenantId],
  );
  const contact = (row: { display_name: string; email: string }) => ({
    displayName: row.display_name,
    email: row.email,
  });
  return {
    userAdministrators: result.rows.filter((row) => row.is_user_admin).map(contact),
    tenantAdministrators: result.rows.filter((row) => row.is_tenant_admin).map(contact),
  };
}
