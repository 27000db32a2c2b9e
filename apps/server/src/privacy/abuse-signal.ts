import type { ErrorCode } from '@mailissa/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * The failures that count towards blocking a network: only those that signal abuse. Ordinary use
 * must never add up to a block — a browser asking for a missing icon (404), a signed-out portal page
 * (401), a user without a licence (403), an expired token the add-in renews — since an office behind
 * one address would otherwise lock itself out. See docs/decisions/015-abuse-protection-keys-on-networks.md.
 */
export type AbuseSignal = 'failed_sign_in' | 'invalid_token' | 'form_spam' | 'api_scan';

declare module 'fastify' {
  interface FastifyRequest {
    abuseSignal?: AbuseSignal;
  }
}

/** Marks the request as a failure that signals abuse; counted when its response is sent. */
export function reportAbuse(request: FastifyRequest, signal: AbuseSignal): void {
  request.abuseSignal = signal;
}

/**
 * Codes of access tokens that fail validation: forged, foreign or garbled. Not `missing_token` (a
 * signed-out call) and not `token_expired`/`token_not_yet_valid` (a clock or a renewal away).
 */
const INVALID_TOKEN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'malformed_token',
  'unsupported_algorithm',
  'unknown_key',
  'invalid_token',
  'invalid_tenant',
  'invalid_issuer',
  'invalid_audience',
  'invalid_signature',
]);

export function isInvalidTokenCode(code: ErrorCode): boolean {
  return INVALID_TOKEN_CODES.has(code);
}

/** The API prefixes under which an unknown path is a scan, not a browser looking for an asset. */
const API_PREFIXES = ['/api/', '/portal/api/', '/operator/api/'];

/** A 404 of a path no route serves, under an API prefix. */
export function isApiScan(request: FastifyRequest, status: number): boolean {
  if (status !== 404 || !request.is404) return false;
  const path = request.url.split('?')[0] ?? '/';
  return API_PREFIXES.some((prefix) => path.startsWith(prefix) || `${path}/` === prefix);
}

/** The abuse a finished request signals, if any. */
export function abuseSignalOf(request: FastifyRequest, status: number): AbuseSignal | null {
  if (request.abuseSignal) return request.abuseSignal;
  return isApiScan(request, status) ? 'api_scan' : null;
}
