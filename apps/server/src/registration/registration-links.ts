import type { Queryable } from '../db/database.js';
import type { FormSigner } from '../website/forms/form-signing.js';

/** How long a sign-up or sign-in link works. Short: it signs its holder in. */
export const LINK_VALIDITY_MS = 60 * 60 * 1000;

const LINK_PURPOSE = 'registration-link';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type LinkPurpose = 'confirm' | 'sign_in';

/**
 * The token of a link is its row id signed with the form-signing secret, made again when the mail is
 * sent, so no token is stored anywhere. What makes a link single-use and short-lived is its row.
 */
export function linkToken(signer: FormSigner, linkId: string): string {
  return signer.sign(LINK_PURPOSE, linkId);
}

/** The link id of a token, or null for a malformed or forged one. */
export function linkIdOf(signer: FormSigner, token: string | undefined): string | null {
  const id = token ? signer.verify(LINK_PURPOSE, token) : null;
  return id !== null && UUID.test(id) ? id : null;
}

/** Records a new link for the account; its token comes from `linkToken`. */
export async function createRegistrationLink(
  db: Queryable,
  accountId: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<string> {
  const inserted = await db.query<{ id: string }>(
    `insert into registration_links (account_id, purpose, created_at, expires_at)
     values ($1, $2, $3, $4) returning id`,
    [accountId, purpose, now, new Date(now.getTime() + LINK_VALIDITY_MS)],
  );
  const id = inserted.rows[0]?.id;
  if (!id) throw new Error('inserting a registration link returned no id');
  return id;
}

export type LinkCheck =
  | { ok: true; accountId: string; purpose: LinkPurpose }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** What a link would do, without using it (the page a mail scanner may open). */
export async function checkRegistrationLink(db: Queryable, linkId: string, now: Date): Promise<LinkCheck> {
  const found = await db.query<{
    account_id: string;
    purpose: LinkPurpose;
    expires_at: Date;
    used_at: Date | null;
  }>('select account_id, purpose, expires_at, used_at from registration_links where id = $1', [linkId]);
  const row = found.rows[0];
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.used_at) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  return { ok: true, accountId: row.account_id, purpose: row.purpose };
}

/**
 * Uses a link once: one conditional update, so of two requests racing with the same link exactly
 * one wins. Using any link confirms the account's address (it proves the mail arrived).
 */
export async function useRegistrationLink(db: Queryable, linkId: string, now: Date): Promise<LinkCheck> {
  const used = await db.query<{ account_id: string; purpose: LinkPurpose }>(
    `update registration_links set used_at = $2
      where id = $1 and used_at is null and expires_at > $2
      returning account_id, purpose`,
    [linkId, now],
  );
  const row = used.rows[0];
  if (!row) return checkRegistrationLink(db, linkId, now);
  await db.query(
    'update registration_accounts set email_confirmed_at = coalesce(email_confirmed_at, $2) where id = $1',
    [row.account_id, now],
  );
  return { ok: true, accountId: row.account_id, purpose: row.purpose };
}
