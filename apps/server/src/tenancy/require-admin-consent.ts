import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/**
 * Work that reads mail app-only (transfers) needs the application permissions a global administrator
 * grants by admin consent; until then it is refused with a code the add-in can explain.
 */
export async function requireAdminConsent(db: Queryable, tenantId: string): Promise<void> {
  const found = await db.query<{ consented: boolean }>(
    'select admin_consent_at is not null as consented from tenants where id = $1',
    [tenantId],
  );
  if (!found.rows[0]?.consented) {
    throw new AppError(
      409,
      'admin_consent_pending',
      "Transfers cannot run yet: a global administrator of your organisation has not granted Mailissa's permissions in Microsoft 365 (admin consent). The person who registered your organisation can send them the request in the registration portal.",
    );
  }
}
