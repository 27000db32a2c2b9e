import type { Database } from '../db/database.js';

/** Accounts whose address was never confirmed are deleted this long after sign-up. */
export const UNCONFIRMED_ACCOUNT_DAYS = 7;

/**
 * The registration portal's retention run: used and expired links and e-mail changes, ended
 * sessions, and accounts whose address was never confirmed (with their links and sessions).
 */
export async function deleteExpiredRegistrationData(
  db: Database,
  now: Date,
  idleMinutes: number,
): Promise<{ links: number; emailChanges: number; sessions: number; accounts: number }> {
  return db.transaction(async (tx) => {
    const links = await tx.query(
      'delete from registration_links where expires_at <= $1 or used_at is not null',
      [now],
    );
    // A confirmed change has done its work; an unconfirmed one is dead after 24 hours.
    const emailChanges = await tx.query(
      'delete from registration_email_changes where expires_at <= $1 or used_at is not null',
      [now],
    );
    const sessions = await tx.query(
      'delete from registration_sessions where expires_at <= $1 or last_activity_at <= $2',
      [now, new Date(now.getTime() - idleMinutes * 60_000)],
    );
    const accounts = await tx.query(
      'delete from registration_accounts where email_confirmed_at is null and created_at <= $1',
      [new Date(now.getTime() - UNCONFIRMED_ACCOUNT_DAYS * 24 * 3600_000)],
    );
    return {
      links: links.rowCount,
      emailChanges: emailChanges.rowCount,
      sessions: sessions.rowCount,
      accounts: accounts.rowCount,
    };
  });
}
