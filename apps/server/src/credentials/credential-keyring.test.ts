import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialKeyring } from './credential-keyring.js';

const context = 'tenant:user:target';

describe('the credentials keyring (AES-256-GCM)', () => {
  it('opens what it sealed, and never shows the secret in the sealed bytes', () => {
    const keyring = new CredentialKeyring(randomBytes(32));
    const sealed = keyring.seal('correct horse battery staple', context);
    expect(sealed.sealed.toString('utf8')).not.toContain('horse');
    expect(sealed.keyId).toBe(keyring.currentKeyId);
    expect(keyring.open(sealed, context)).toBe('correct horse battery staple');
    // A fresh IV every time: the same secret never seals to the same bytes.
    expect(keyring.seal('correct horse battery staple', context).sealed.equals(sealed.sealed)).toBe(false);
  });

  it('refuses a tampered ciphertext and a value moved to another user or target', () => {
    const keyring = new CredentialKeyring(randomBytes(32));
    const sealed = keyring.seal('s3cret', context);
    const flipped = Buffer.from(sealed.sealed);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    expect(() => keyring.open({ ...sealed, sealed: flipped }, context)).toThrow(
      expect.objectContaining({ code: 'credentials_tampered' }),
    );
    expect(() => keyring.open(sealed, 'tenant:someone-else:target')).toThrow(
      expect.objectContaining({ code: 'credentials_tampered' }),
    );
    expect(() => keyring.open({ ...sealed, sealed: sealed.sealed.subarray(0, 10) }, context)).toThrow(
      expect.objectContaining({ code: 'credentials_tampered' }),
    );
  });

  it('rotates: a new current key still opens values sealed with an old one; a forgotten key is named', () => {
    const oldKey = randomBytes(32);
    const before = new CredentialKeyring(oldKey);
    const sealed = before.seal('rotate me', context);
    const after = new CredentialKeyring(randomBytes(32), [oldKey]);
    expect(after.currentKeyId).not.toBe(sealed.keyId);
    expect(after.open(sealed, context)).toBe('rotate me');
    expect(after.seal('rotate me', context).keyId).toBe(after.currentKeyId);
    const withoutOld = new CredentialKeyring(randomBytes(32));
    expect(() => withoutOld.open(sealed, context)).toThrow(
      expect.objectContaining({ code: 'credentials_key_unknown' }),
    );
  });
});
