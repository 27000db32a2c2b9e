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
  let best: { lang: Lang; quality: number } | null = null;
  for (const part of acceptLanguage.split(',').slice(0, 32)) {
    const [range = '', ...params] = part.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0];
    if (!isLang(primary)) continue;
    let quality = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (match?.[1]) quality = Number(match[1]);
    }
    if (quality > 0 && (best === null || quality > best.quality)) best = { lang: primary, quality };
  }
  return best?.lang ?? 'en';
}
