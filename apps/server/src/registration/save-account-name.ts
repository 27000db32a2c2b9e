import type { Queryable } from '../db/database.js';

/**
 * Corrects the account holder's name (Art. 16 GDPR). Invoices already issued keep the name they were
 * issued with (a snapshot the law wants unchanged); the next one carries the new name.
 */
export async function saveAccountName(db: Queryable, accountId: string, fullName: string): Promise<void> {
  await db.query('update registration_accounts set full_name = $2 where id = $1', [accountId, fullName]);
}
