import type { FastifyRequest } from 'fastify';

/**
 * The consent cookie holds the visitor's choice so we need not ask on every page: the random consent
 * id (which links it to the server-side proof), the policy revision it was given for, and the two
 * optional categories. It is itself a necessary cookie: without it we could not respect a "no".
 */
export const CONSENT_COOKIE = 'mailissa_consent';
/** A year; raising the policy revision asks again earlier. */
export const CONSENT_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export interface ConsentChoice {
  consentId: string;
  policyRevision: string;
  preferences: boolean;
  statistics: boolean;
}

const COOKIE_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{1,40})\.([01])([01])$/;

export function parseConsentCookie(value: string | undefined): ConsentChoice | null {
  if (!value) return null;
  const match = COOKIE_PATTERN.exec(value);
  if (!match?.[1] || !match[2]) return null;
  return {
    consentId: match[1],
    policyRevision: match[2],
    preferences: match[3] === '1',
    statistics: match[4] === '1',
  };
}

export function formatConsentCookie(choice: ConsentChoice): string {
  return `${choice.consentId}.${choice.policyRevision}.${choice.preferences ? 1 : 0}${choice.statistics ? 1 : 0}`;
}

/** Statistics may be counted: a current choice allows them and the browser does not send GPC. */
export function statisticsAllowed(
  // `cookies` is parsed by @fastify/cookie; it is missing when a request was answered before that ran.
  request: Pick<FastifyRequest, 'headers' | 'cookies'>,
  policyRevision: string,
): boolean {
  if (request.headers['sec-gpc'] === '1') return false;
  const choice = parseConsentCookie(request.cookies?.[CONSENT_COOKIE]);
  return choice !== null && choice.policyRevision === policyRevision && choice.statistics;
}
