import { z } from 'zod';
import type { CredentialKeyring } from '../credentials/credential-keyring.js';
import type { Queryable } from '../db/database.js';
import type { DelegatedTokens } from './on-behalf-of.js';

/** Whose grant: bound into the ciphertext as additional data, so a row copied to another user fails. */
export interface GrantOwner {
  tenantId: string;
  userId: string;
}

const contextOf = (owner: GrantOwner) => `delegated-grant:${owner.tenantId}:${owner.userId}`;

const sealedSchema = z.object({
  accessToken: z.string(),
  expiresAt: z.number(),
  refreshToken: z.string().optional(),
});

export interface StoredGrant {
  tokens: DelegatedTokens;
  version: number;
}

/**
 * Stores (or replaces) a user's delegated tokens, sealed. Must run inside withTenant(). Returns the
 * new version. With `expectedVersion`, replaces only that version (a refresh that lost a race to
 * another worker leaves the newer tokens in place and returns undefined).
 */
export async function storeDelegatedGrant(
  tx: Queryable,
  keyring: CredentialKeyring,
  owner: GrantOwner,
  tokens: DelegatedTokens,
  now: Date,
  expectedVersion?: number,
): Promise<number | undefined> {
  const sealed = keyring.seal(
    JSON.stringify({
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    }),
    contextOf(owner),
  );
  if (expectedVersion !== undefined) {
    const updated = await tx.query<{ version: number }>(
      `update delegated_grants set key_id = $3, sealed = $4, version = version + 1, updated_at = $5
        where tenant_id = $1 and user_id = $2 and version = $6
        returning version`,
      [owner.tenantId, owner.userId, sealed.keyId, sealed.sealed, now, expectedVersion],
    );
    return updated.rows[0]?.version;
  }
  const upserted = await tx.query<{ version: number }>(
    `insert into delegated_grants (tenant_id, user_id, key_id, sealed, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $5)
     on conflict (tenant_id, user_id)
       do update set key_id = excluded.key_id, sealed = excluded.sealed,
                     version = delegated_grants.version + 1, updated_at = excluded.updated_at
     returning version`,
    [owner.tenantId, owner.userId, sealed.keyId, sealed.sealed, now],
  );
  return upserted.rows[0]?.version;
}

/** A user's delegated tokens, or undefined when there are none. Must run inside withTenant(). */
export async function readDelegatedGrant(
  tx: Queryable,
  keyring: CredentialKeyring,
  owner: GrantOwner,
): Promise<StoredGrant | undefined> {
  const found = await tx.query<{ key_id: string; sealed: Buffer | Uint8Array; version: number }>(
    `select key_id, sealed, version from delegated_grants where tenant_id = $1 and user_id = $2`,
    [owner.tenantId, owner.userId],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const opened = sealedSchema.parse(
    JSON.parse(keyring.open({ keyId: row.key_id, sealed: Buffer.from(row.sealed) }, contextOf(owner))),
  );
  return {
    tokens: {
      accessToken: opened.accessToken,
      expiresAt: opened.expiresAt,
      refreshToken: opened.refreshToken,
    },
    version: row.version,
  };
}

/** Forgets a user's grant (e.g. Microsoft said it is no longer valid). Must run inside withTenant(). */
export async function deleteDelegatedGrant(tx: Queryable, owner: GrantOwner): Promise<void> {
  await tx.query('delete from delegated_grants where tenant_id = $1 and user_id = $2', [
    owner.tenantId,
    owner.userId,
  ]);
}
