import type { Queryable } from '../db/database.js';
import { emailChangeTokenHash } from './request-email-change.js';

/**
 * The new address a still-valid e-mail change link would confirm, without using the link (the page a
 * mail scanner may open); null for an unknown, used or expired link.
 */
export async function findEmailChange(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ newEmail: string } | null> {
  const found = await db.query<{ new_email: string }>(
    `select new_email from registration_email_changes
      where token_hash = $1 and used_at is null and expires_at > $2`,
    [emailChangeTokenHash(token), now],
  );
  const row = found.rows[0];
  return row ? { newEmail: row.new_email } : null;
}
