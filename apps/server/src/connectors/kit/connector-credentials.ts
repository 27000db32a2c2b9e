import { z } from 'zod';
import type { CredentialKeyring } from '../../credentials/credential-keyring.js';
import { type CredentialOwner, readCredential, storeCredential } from '../../credentials/credential-store.js';
import type { Queryable } from '../../db/database.js';

/**
 * A connector's credential fields as one sealed secret in the credential store (AES-256-GCM, bound to
 * tenant, user and target): JSON of the fields, so any connector's form fits without a new column.
 */
const fieldsSchema = z.record(z.string(), z.string());

/** Must run inside withTenant(). */
export async function saveConnectorCredential(
  tx: Queryable,
  keyring: CredentialKeyring,
  owner: CredentialOwner,
  fields: Record<string, string>,
): Promise<void> {
  await storeCredential(tx, keyring, owner, JSON.stringify(fields));
}

/** The user's fields for the target, or undefined when none are stored. Must run inside withTenant(). */
export async function loadConnectorCredential(
  tx: Queryable,
  keyring: CredentialKeyring,
  owner: CredentialOwner,
  now: Date,
): Promise<Record<string, string> | undefined> {
  const secret = await readCredential(tx, keyring, owner, now);
  if (secret === undefined) return undefined;
  const parsed = fieldsSchema.safeParse(JSON.parse(secret));
  return parsed.success ? parsed.data : undefined;
}

export async function hasConnectorCredential(tx: Queryable, owner: CredentialOwner): Promise<boolean> {
  const found = await tx.query(
    'select 1 from credentials where tenant_id = $1 and user_id = $2 and target_id = $3',
    [owner.tenantId, owner.userId, owner.targetId],
  );
  return found.rowCount > 0;
}

/**
 * Forgets a credential the target system rejected (401) or the user disconnected: the add-in then
 * asks the user to connect again instead of failing the same way forever. Must run inside withTenant().
 */
export async function forgetConnectorCredential(tx: Queryable, owner: CredentialOwner): Promise<void> {
  await tx.query('delete from credentials where tenant_id = $1 and user_id = $2 and target_id = $3', [
    owner.tenantId,
    owner.userId,
    owner.targetId,
  ]);
}
