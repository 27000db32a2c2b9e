import Negotiator from 'negotiator';

/** The website's languages. English is the fallback when the browser asks for neither. */
export const LANGS = ['en', 'de'] as const;
export type Lang = (typeof LANGS)[number];

export interface Localised<T = string> {
  en: T;
  de: T;
}

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'de';
}

/**
 * Picks the language from an `Accept-Language` header by its quality values (RFC 9110 §12.5.4):
 * `de-DE,de;q=0.9,en;q=0.8` → `de`. Unknown or malformed headers fall back to English.
 */
export function negotiateLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'en';
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...LANGS]);
  return isLang(best) ? best : 'en';
}
