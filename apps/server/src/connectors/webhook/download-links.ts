import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import type { DownloadLinks } from '../connector.js';

/**
 * Short-lived signed links to one part of one transfer (issue 11 item 7), so a webhook receiver
 * fetches the mail and its attachments from us instead of getting them in the POST. The link is the
 * whole authorisation: an HMAC over tenant, transfer, part and expiry with a key derived from
 * CREDENTIALS_KEY (every API and worker process has it). Nothing is stored; a link dies when it
 * expires or when its transfer is cancelled, failed or deleted (the route checks the transfer).
 */

export const DOWNLOAD_ROUTE = '/api/transfer-downloads';
/** The key's HKDF purpose (CredentialKeyring.derive). */
export const DOWNLOAD_LINK_PURPOSE = 'transfer-download-links';

export interface DownloadClaims {
  tenantId: string;
  transferId: string;
  partKey: string;
  expiresAt: Date;
}

const claimsSchema = z.tuple([z.uuid(), z.uuid(), z.string().min(1).max(600), z.number().int().positive()]);

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`download:${payload}`).digest();
}

export function signDownloadToken(key: Buffer, claims: DownloadClaims): string {
  const payload = Buffer.from(
    JSON.stringify([
      claims.tenantId,
      claims.transferId,
      claims.partKey,
      Math.floor(claims.expiresAt.getTime() / 1000),
    ]),
  ).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

const invalid = () =>
  new AppError(404, 'download_link_invalid', 'This download link is not valid. Ask for the file again.');

/** The claims of a genuine, unexpired token; otherwise 404 `download_link_invalid` (nothing told apart). */
export function verifyDownloadToken(key: Buffer, token: string, now: Date): DownloadClaims {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) throw invalid();
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = claimsSchema.safeParse(decoded);
  if (!parsed.success) throw invalid();
  const [tenantId, transferId, partKey, expires] = parsed.data;
  if (expires * 1000 <= now.getTime()) {
    throw new AppError(
      404,
      'download_link_invalid',
      'This download link has expired. Links in a webhook work for a limited time only.',
    );
  }
  return { tenantId, transferId, partKey, expiresAt: new Date(expires * 1000) };
}

/** The links a transfer's connector hands out, pointing at this server's public address. */
export function createDownloadLinks(options: {
  key: Buffer;
  publicBaseUrl: string;
  tenantId: string;
  transferId: string;
  now: () => Date;
}): DownloadLinks {
  return {
    linkFor(partKey, lifetimeMs) {
      // Whole seconds, as the token carries them: the stated expiry is the real one.
      const expiresAt = new Date(Math.floor((options.now().getTime() + lifetimeMs) / 1000) * 1000);
      const token = signDownloadToken(options.key, {
        tenantId: options.tenantId,
        transferId: options.transferId,
        partKey,
        expiresAt,
      });
      return { url: `${options.publicBaseUrl}${DOWNLOAD_ROUTE}/${token}`, expiresAt };
    },
  };
}
