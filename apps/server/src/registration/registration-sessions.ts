import { hash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/** A registration session lasts at most this long, however active it is. */
const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;

export const REGISTRATION_COOKIE = 'mailissa_registration';

export interface RegistrationSession {
  sessionId: string;
  accountId: string;
}

/** A one-shot hash: asked on every signed-in request, and it leaves no native object to collect. */
function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
}

/**
 * Sessions of the registration portal, apart from the portal's web_sessions: a buyer is an account
 * (an e-mail address), not a user of a tenant. The cookie carries a random token; only its hash is kept.
 */
export async function createRegistrationSession(
  db: Queryable,
  accountId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ABSOLUTE_LIFETIME_MS);
  await db.query(
    `insert into registration_sessions (token_hash, account_id, created_at, last_activity_at, expires_at)
     values ($1, $2, $3, $3, $4)`,
    [hashToken(token), accountId, now, expiresAt],
  );
  return { token, expiresAt };
}

/** The live session of a cookie token, touching its activity; null when ended, expired or idle too long. */
export async function findRegistrationSession(
  db: Queryable,
  token: string | undefined,
  now: Date,
  idleMinutes: number,
): Promise<RegistrationSession | null> {
  if (!token) return null;
  const touched = await db.query<{ id: string; account_id: string }>(
    `update registration_sessions set last_activity_at = $2
      where token_hash = $1 and expires_at > $2 and last_activity_at > $3
      returning id, account_id`,
    [hashToken(token), now, new Date(now.getTime() - idleMinutes * 60_000)],
  );
  const row = touched.rows[0];
  return row ? { sessionId: row.id, accountId: row.account_id } : null;
}

export async function deleteRegistrationSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from registration_sessions where token_hash = $1', [hashToken(token)]);
}
