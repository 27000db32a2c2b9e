import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const SUPPORTED_LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Maps an RFC 1766 / BCP 47 tag (`de-CH`, `en-US`, …) to a language we have texts for. */
export function pickLanguage(tag: string | null | undefined): Language {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'de' ? 'de' : 'en';
}

/** The language of a tag if we have texts for it, else null: then the tenant's default applies. */
export function knownLanguage(tag: string | null | undefined): Language | null {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'de' || primary === 'en' ? primary : null;
}

/** Texts of one surface: the same keys in English and German. */
export type SurfaceTexts<T> = Record<Language, T>;

const LANGUAGE_STORAGE_KEY = 'mailissa.language';

export function rememberedLanguage(): Language | null {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return stored === 'en' || stored === 'de' ? stored : null;
  } catch {
    return null;
  }
}

export function rememberLanguage(language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage can be blocked (private mode, Office hosts); the choice then lasts for this page only.
  }
}

/**
 * One i18next instance per surface. Each surface brings its own resources, so a page ships only
 * its own texts; `common` holds what the UI kit itself shows.
 */
export async function createI18n<T extends object>(
  texts: SurfaceTexts<T>,
  language: Language,
): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources: Resource = {
    en: { translation: { ...commonTexts.en, ...texts.en } },
    de: { translation: { ...commonTexts.de, ...texts.de } },
  };
  await instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...SUPPORTED_LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
  });
  document.documentElement.lang = language;
  instance.on('languageChanged', (next) => {
    document.documentElement.lang = next;
  });
  return instance;
}

export const commonTexts: SurfaceTexts<Record<string, string | Record<string, string>>> = {
  en: {
    common: {
      loading: 'Loading…',
      retry: 'Try again',
      signOut: 'Sign out',
      language: 'Language',
      english: 'English',
      german: 'Deutsch',
      unexpectedError: 'Something went wrong',
      networkError: 'The server could not be reached. Check your connection and try again.',
      close: 'Close',
    },
  },
  de: {
    common: {
      loading: 'Wird geladen …',
      retry: 'Erneut versuchen',
      signOut: 'Abmelden',
      language: 'Sprache',
      english: 'English',
      german: 'Deutsch',
      unexpectedError: 'Etwas ist schiefgelaufen',
      networkError:
        'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
      close: 'Schließen',
    },
  },
};
