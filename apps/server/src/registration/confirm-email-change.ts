import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { Lang } from '../website/i18n.js';
import { emailChangeTokenHash } from './request-email-change.js';

export interface ConfirmedEmailChange {
  oldEmail: string;
  newEmail: string;
  fullName: string;
  language: Lang;
}

/**
 * Uses an e-mail change link: the account signs in with the new address from now on. One
 * conditional update takes the link, so of two clicks exactly one changes anything; null for an
 * unknown, used or expired link. An address another account took meanwhile is refused (409) and the
 * transaction leaves everything as it was. Invoices already issued keep the address they went to.
 */
export async function confirmEmailChange(
  db: Database,
  token: string,
  now: Date,
): Promise<ConfirmedEmailChange | null> {
  return db.transaction(async (tx) => {
    const used = await tx.query<{ account_id: string; new_email: string; language: Lang }>(
      `update registration_email_changes set used_at = $2
        where token_hash = $1 and used_at is null and expires_at > $2
        returning account_id, new_email, language`,
      [emailChangeTokenHash(token), now],
    );
    const change = used.rows[0];
    if (!change) return null;
    const taken = await tx.query('select 1 from registration_accounts where email = $1 and id <> $2', [
      change.new_email,
      change.account_id,
    ]);
    if (taken.rowCount > 0)
      throw new AppError(409, 'email_taken', 'email: another account signs in with this address.');
    const account = await tx.query<{ email: string; full_name: string }>(
      'select email, full_name from registration_accounts where id = $1 for update',
      [change.account_id],
    );
    const row = account.rows[0];
    // The account was deleted after the link was sent (the cascade would have removed the link).
    if (!row) return null;
    await tx.query(
      'update registration_accounts set email = $2, email_confirmed_at = coalesce(email_confirmed_at, $3) where id = $1',
      [change.account_id, change.new_email, now],
    );
    return {
      oldEmail: row.email,
      newEmail: change.new_email,
      fullName: row.full_name,
      language: change.language,
    };
  });
}
