import { describe, expect, it } from 'vitest';
import { negotiateLang } from './i18n.js';
import { siteHref } from './site-state.js';

describe('language', () => {
  it('follows Accept-Language quality values and falls back to English', () => {
    expect(negotiateLang('de-DE,de;q=0.9,en;q=0.8')).toBe('de');
    expect(negotiateLang('en-US,en;q=0.9,de;q=0.8')).toBe('en');
    expect(negotiateLang('fr-FR,de;q=0.5,en;q=0.4')).toBe('de');
    expect(negotiateLang('de;q=0,en;q=0.1')).toBe('en');
    expect(negotiateLang('fr')).toBe('en');
    expect(negotiateLang(undefined)).toBe('en');
    expect(negotiateLang(';;;,,q=')).toBe('en');
  });

  it('carries ?lang= on links only when it cannot be kept in a cookie', () => {
    expect(siteHref({ lang: 'de', langInLinks: true }, '/privacy#cookies')).toBe('/privacy?lang=de#cookies');
    expect(siteHref({ lang: 'de', langInLinks: true }, '/cookie-settings?saved=1')).toBe(
      '/cookie-settings?saved=1&lang=de',
    );
    expect(siteHref({ lang: 'de', langInLinks: false }, '/privacy')).toBe('/privacy');
  });
});
