import type { AdministratorContact } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/** The tenant's user administrators: the people who can hand out licences. */
export async function listUserAdministrators(
  tx: Queryable,
  tenantId: string,
): Promise<AdministratorContact[]> {
  const result = await tx.query<{ display_name: string; email: string }>(
    `select display_name, email from users where tenant_id = $1 and is_user_admin order by display_name, email`,
    [tenantId],
  );
  return result.rows.map((row) => ({ displayName: row.display_name, email: row.email }));
}

/**
 * Throws 403 `no_licence` unless the user holds a Transfer licence; the error names the user
 * administrators so the add-in can say whom to ask. Must run inside withTenant().
 */
export async function requireTransferLicence(tx: Queryable, tenantId: string, userId: string): Promise<void> {
  const licence = await tx.query(
    `select 1 from licence_assignments where tenant_id = $1 and user_id = $2 and module = 'transfer'`,
    [tenantId, userId],
  );
  if (licence.rowCount > 0) return;
  throw new AppError(
    403,
    'no_licence',
    'You have no Mailissa Transfer licence. Ask an administrator for one.',
    {
      extra: { administrators: await listUserAdministrators(tx, tenantId) },
    },
  );
}
