import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { CONSENT_COOKIE, parseConsentCookie } from '../privacy/consent-cookie.js';
import type { SafeHtml } from './html.js';
import { isLang, type Lang, negotiateLang } from './i18n.js';

export const LANG_COOKIE = 'mailissa_lang';
const LANG_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** What the layout needs to know about the visitor's cookie choice. */
export interface ConsentView {
  /** No choice yet for the current policy revision: the banner asks. */
  showBanner: boolean;
  preferences: boolean;
  statistics: boolean;
  /** The browser sends `Sec-GPC: 1`: statistics stay off and we do not ask for them. */
  gpc: boolean;
  /** The consent id of the current choice (null before any choice). */
  consentId: string | null;
}

/** Everything about the visitor a website page depends on, read from the request alone. */
export interface SiteState {
  lang: Lang;
  consent: ConsentView;
  /**
   * The language was chosen by `?lang=` and may not be kept in a cookie (no consent to preferences),
   * so every internal link carries it on.
   */
  langInLinks: boolean;
  /** The request arrived over TLS (directly or via the trusted proxy): cookies get `Secure`. */
  secure: boolean;
  /** Set when `?lang=` changed the language and preferences allow keeping it in a cookie. */
  rememberLang: Lang | null;
}

function queryLang(request: FastifyRequest): Lang | null {
  const query = request.query;
  if (typeof query !== 'object' || query === null || !('lang' in query)) return null;
  const value = (query as { lang?: unknown }).lang;
  return isLang(value) ? value : null;
}

export function readConsentView(request: FastifyRequest, config: Config): ConsentView {
  const gpc = request.headers['sec-gpc'] === '1';
  const choice = parseConsentCookie(request.cookies[CONSENT_COOKIE]);
  if (!choice || choice.policyRevision !== config.privacy.policyRevision) {
    return { showBanner: true, preferences: false, statistics: false, gpc, consentId: null };
  }
  return {
    showBanner: false,
    preferences: choice.preferences,
    statistics: choice.statistics && !gpc,
    gpc,
    consentId: choice.consentId,
  };
}

/**
 * Reads language and consent: `?lang=` wins, then the language cookie (only honoured with consent
 * to preferences), then `Accept-Language`.
 */
export function readSiteState(request: FastifyRequest, config: Config): SiteState {
  const consent = readConsentView(request, config);
  const secure = request.protocol === 'https';
  const fromQuery = queryLang(request);
  const cookieValue = consent.preferences ? request.cookies[LANG_COOKIE] : undefined;
  const fromCookie = isLang(cookieValue) ? cookieValue : null;
  if (fromQuery) {
    return {
      lang: fromQuery,
      consent,
      langInLinks: !consent.preferences,
      secure,
      rememberLang: consent.preferences && fromQuery !== fromCookie ? fromQuery : null,
    };
  }
  return {
    lang: fromCookie ?? negotiateLang(request.headers['accept-language']),
    consent,
    langInLinks: false,
    secure,
    rememberLang: null,
  };
}

/**
 * The website's cookies (consent, language): sent with top-level navigations only, never readable by
 * scripts. Their values are URL-safe tokens.
 */
export function websiteCookie(options: { maxAgeSeconds: number; secure: boolean }): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: options.maxAgeSeconds,
    secure: options.secure,
  };
}

/** An internal link that keeps the language when it cannot be kept in a cookie. */
export function siteHref(site: Pick<SiteState, 'lang' | 'langInLinks'>, path: string): string {
  if (!site.langInLinks) return path;
  const [base, hash] = path.split('#', 2);
  const separator = base?.includes('?') ? '&' : '?';
  return `${base}${separator}lang=${site.lang}${hash === undefined ? '' : `#${hash}`}`;
}

/** Sends a rendered page: HTML type, no shared caching (it varies by cookie and language). */
export function sendPage(
  reply: FastifyReply,
  site: SiteState,
  document: SafeHtml,
  status = 200,
): FastifyReply {
  if (site.rememberLang) {
    reply.setCookie(
      LANG_COOKIE,
      site.rememberLang,
      websiteCookie({ maxAgeSeconds: LANG_COOKIE_MAX_AGE_SECONDS, secure: site.secure }),
    );
  }
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('vary', 'Accept-Language, Cookie, Sec-GPC')
    .send(document.value);
}
