import type { StoredCredential, TargetSecret } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { CredentialKeyring } from './credential-keyring.js';

/** Whose credential for which target: bound into the ciphertext as additional data. */
export interface CredentialOwner {
  tenantId: string;
  /** Null: the tenant's own credential for the target (a webhook's signing secret), nobody's account. */
  userId: string | null;
  targetId: string;
}

const contextOf = (owner: CredentialOwner) =>
  `${owner.tenantId}:${owner.userId ?? 'tenant'}:${owner.targetId}`;

/**
 * Stores (or replaces) a user's credential for a target, sealed. For connectors, server-side only:
 * the secret never leaves the server again and is never logged. Must run inside withTenant().
 */
export async function storeCredential(
  tx: Queryable,
  keyring: CredentialKeyring,
  owner: CredentialOwner,
  secret: string,
): Promise<void> {
  const sealed = keyring.seal(secret, contextOf(owner));
  await tx.query(
    `insert into credentials (tenant_id, user_id, target_id, key_id, sealed)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, user_id, target_id)
       do update set key_id = excluded.key_id, sealed = excluded.sealed, updated_at = now()`,
    [owner.tenantId, owner.userId, owner.targetId, sealed.keyId, sealed.sealed],
  );
}

/**
 * A user's credential for a target, or undefined. Marks it used, and re-seals it with the current key
 * when an old key sealed it (rotation on use). Must run inside withTenant().
 */
export async function readCredential(
  tx: Queryable,
  keyring: CredentialKeyring,
  owner: CredentialOwner,
  now: Date,
): Promise<string | undefined> {
  const found = await tx.query<{ key_id: string; sealed: Buffer | Uint8Array }>(
    `update credentials set last_used_at = $4
      where tenant_id = $1 and user_id is not distinct from $2::uuid and target_id = $3
      returning key_id, sealed`,
    [owner.tenantId, owner.userId, owner.targetId, now],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const secret = keyring.open({ keyId: row.key_id, sealed: Buffer.from(row.sealed) }, contextOf(owner));
  if (row.key_id !== keyring.currentKeyId) await storeCredential(tx, keyring, owner, secret);
  return secret;
}

/** Who has stored credentials for which target, and when they were last used; never the secret. */
export async function listStoredCredentials(tx: Queryable, tenantId: string): Promise<StoredCredential[]> {
  const rows = await tx.query<{
    id: string;
    user_id: string;
    display_name: string;
    email: string;
    target_id: string;
    title_en: string;
    title_de: string;
    created_at: Date;
    updated_at: Date;
    last_used_at: Date | null;
  }>(
    `select c.id, c.user_id, u.display_name, u.email, c.target_id, g.title_en, g.title_de,
            c.created_at, c.updated_at, c.last_used_at
       from credentials c
       join users u on u.id = c.user_id and u.tenant_id = c.tenant_id
       join targets g on g.id = c.target_id and g.tenant_id = c.tenant_id
      where c.tenant_id = $1
      order by u.display_name, g.title_en, c.id`,
    [tenantId],
  );
  return rows.rows.map((row) => ({
    id: row.id,
    user: { id: row.user_id, displayName: row.display_name, email: row.email },
    target: { id: row.target_id, title: { en: row.title_en, de: row.title_de } },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
  }));
}

/** The tenant's own secrets for its targets (user_id null), by target title; never the secret. */
export async function listTargetSecrets(tx: Queryable, tenantId: string): Promise<TargetSecret[]> {
  const rows = await tx.query<{
    target_id: string;
    title_en: string;
    title_de: string;
    created_at: Date;
    updated_at: Date;
    last_used_at: Date | null;
  }>(
    `select c.target_id, g.title_en, g.title_de, c.created_at, c.updated_at, c.last_used_at
       from credentials c
       join targets g on g.id = c.target_id and g.tenant_id = c.tenant_id
      where c.tenant_id = $1 and c.user_id is null and g.deleted_at is null
      order by g.title_en, c.id`,
    [tenantId],
  );
  return rows.rows.map((row) => ({
    target: { id: row.target_id, title: { en: row.title_en, de: row.title_de } },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
  }));
}

/**
 * Revokes one stored credential (`credentialId`) or all of one user's (`userId`), audited. Returns how
 * many went. Must run inside withTenant().
 */
export async function revokeCredentials(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  which: { credentialId: string } | { userId: string },
): Promise<number> {
  const removed = await tx.query<{ id: string; user_id: string; target_id: string; display_name: string }>(
    `delete from credentials c using users u
      where c.tenant_id = $1 and u.id = c.user_id and u.tenant_id = c.tenant_id
        and (c.id = $2 or c.user_id = $3)
      returning c.id, c.user_id, c.target_id, u.display_name`,
    [tenantId, 'credentialId' in which ? which.credentialId : null, 'userId' in which ? which.userId : null],
  );
  if ('credentialId' in which && removed.rowCount === 0) {
    throw new AppError(404, 'credential_not_found', 'This stored credential does not exist.');
  }
  for (const row of removed.rows) {
    await recordAuditEvent(tx, tenantId, actor, {
      action: 'credential.revoked',
      subject: { type: 'credential', id: row.id, label: row.display_name },
      before: { userId: row.user_id, targetId: row.target_id },
    });
  }
  return removed.rowCount;
}
