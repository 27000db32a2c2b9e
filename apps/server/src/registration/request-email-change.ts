import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { Lang } from '../website/i18n.js';

/** How long the link that confirms a new sign-in address works. */
export const EMAIL_CHANGE_VALIDITY_MS = 24 * 3_600_000;

/** The stored form of a link's token: a database reader cannot use a pending change. */
export function emailChangeTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Records that the account wants `newEmail` as its sign-in address and returns the link's secret,
 * which only goes into the mail to the new address. Nothing changes until the link is used
 * (confirm-email-change.ts). An earlier pending change of the account is replaced, so only the
 * newest link works. An address another account signs in with is refused here already.
 */
export async function requestEmailChange(
  db: Database,
  request: { accountId: string; newEmail: string; language: Lang },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  return db.transaction(async (tx) => {
    const taken = await tx.query<{ id: string }>('select id from registration_accounts where email = $1', [
      request.newEmail,
    ]);
    const holder = taken.rows[0];
    if (holder?.id === request.accountId)
      throw new AppError(400, 'invalid_request', 'email: this is already your sign-in address.');
    if (holder) throw new AppError(409, 'email_taken', 'email: another account signs in with this address.');
    await tx.query('delete from registration_email_changes where account_id = $1 and used_at is null', [
      request.accountId,
    ]);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_VALIDITY_MS);
    await tx.query(
      `insert into registration_email_changes (account_id, new_email, token_hash, language, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6)`,
      [request.accountId, request.newEmail, emailChangeTokenHash(token), request.language, now, expiresAt],
    );
    return { token, expiresAt };
  });
}
