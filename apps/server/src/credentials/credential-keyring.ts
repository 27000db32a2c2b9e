import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { loadOrCreateLocalSecret } from '../config/local-secret.js';
import { AppError } from '../errors/app-error.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedCredential {
  /** Which key sealed it: the first 16 hex digits of the key's SHA-256 (no secret, stable). */
  keyId: string;
  /** iv || ciphertext || tag */
  sealed: Buffer;
}

/**
 * AES-256-GCM with a current key and any number of old keys (decision 018). Each sealed value names
 * its key, so keys rotate without a migration: old ones still open, and are re-sealed on use. The
 * additional data binds a value to its tenant, user and target, so a row copied elsewhere fails.
 */
export class CredentialKeyring {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, old: Buffer[] = []) {
    if (current.length !== 32) throw new Error('the credentials key must be 32 bytes');
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, current);
    for (const key of old) if (key.length === 32) this.keys.set(keyIdOf(key), key);
  }

  seal(plaintext: string, context: string): SealedCredential {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  /**
   * A key for another purpose (signing download links), derived from the current key with HKDF:
   * every API and worker process already shares CREDENTIALS_KEY, so nothing new is configured. A
   * rotation of the credentials key invalidates what the derived key signed, which is short-lived.
   */
  derive(purpose: string): Buffer {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `mailissa:${purpose}`, 32));
  }

  open(value: SealedCredential, context: string): string {
    const key = this.keys.get(value.keyId);
    if (!key) {
      throw new AppError(
        500,
        'credentials_key_unknown',
        'A stored credential was sealed with a key that is not configured.',
      );
    }
    if (value.sealed.length < IV_BYTES + TAG_BYTES) {
      throw new AppError(500, 'credentials_tampered', 'A stored credential is damaged.');
    }
    const iv = value.sealed.subarray(0, IV_BYTES);
    const tag = value.sealed.subarray(value.sealed.length - TAG_BYTES);
    const body = value.sealed.subarray(IV_BYTES, value.sealed.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError(500, 'credentials_tampered', 'A stored credential is damaged or was altered.');
    }
  }
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * The keyring from configuration; without CREDENTIALS_KEY (demo, development; production refuses to
 * start) a key generated once in DATA_DIR, like the session secret.
 */
export async function loadCredentialKeyring(config: Config): Promise<CredentialKeyring> {
  const current = config.credentials.key
    ? Buffer.from(config.credentials.key, 'base64')
    : Buffer.from(await loadOrCreateLocalSecret(config.dataDir, 'credentials'), 'base64url');
  return new CredentialKeyring(
    current,
    config.credentials.oldKeys.map((key) => Buffer.from(key, 'base64')),
  );
}
