import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/config.js';
import { loadOrCreateLocalSecret } from '../../config/local-secret.js';

/**
 * Signs short values the website hands out and takes back: the contact form's timestamp and the
 * newsletter's confirmation and unsubscribe tokens. Each purpose gets its own key derived from the one
 * secret, so a token minted for one purpose never verifies for another.
 */
export interface FormSigner {
  sign(purpose: string, payload: string): string;
  /** The payload, or null when the token is malformed or its signature is wrong. */
  verify(purpose: string, token: string): string | null;
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

export function createFormSigner(secret: string): FormSigner {
  const keyFor = (purpose: string) =>
    createHmac('sha256', secret).update(`mailissa-form:${purpose}`).digest();
  const mac = (purpose: string, encodedPayload: string) =>
    createHmac('sha256', keyFor(purpose)).update(encodedPayload).digest();
  return {
    sign(purpose, payload) {
      const encoded = base64url(payload);
      return `${encoded}.${base64url(mac(purpose, encoded))}`;
    },
    verify(purpose, token) {
      const match = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match?.[1] || !match[2]) return null;
      const expected = mac(purpose, match[1]);
      const given = Buffer.from(match[2], 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      return Buffer.from(match[1], 'base64url').toString('utf8');
    },
  };
}

/** FORM_SIGNING_SECRET, or (outside production) one generated once and kept in DATA_DIR. */
export async function loadFormSigningSecret(config: Config): Promise<string> {
  return config.formSigningSecret ?? loadOrCreateLocalSecret(config.dataDir, 'form-signing');
}
