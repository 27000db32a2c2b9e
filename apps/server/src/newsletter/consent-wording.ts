import type { Lang, Localised } from '../website/i18n.js';

/**
 * Every wording of the newsletter consent that was ever shown, by version. A subscriber's proof
 * records the version and language, so the exact text they agreed to can always be shown again.
 * Never edit a published version: add a new one and make it current.
 */
export const CONSENT_WORDINGS: Record<string, Localised> = {
  '2026-11-29': {
    en: 'Yes, please send me the Mailissa newsletter by e-mail: product news and tips, at most once a month. I can unsubscribe at any time with the link in every newsletter. My address is used for nothing else and is never passed on.',
    de: 'Ja, bitte senden Sie mir den Mailissa-Newsletter per E-Mail: Produktneuigkeiten und Tipps, höchstens einmal im Monat. Ich kann mich jederzeit über den Link in jedem Newsletter abmelden. Meine Adresse wird für nichts anderes verwendet und nie weitergegeben.',
  },
};

export const CURRENT_CONSENT_VERSION = '2026-11-29';

export function isConsentVersion(value: unknown): value is string {
  return typeof value === 'string' && Object.hasOwn(CONSENT_WORDINGS, value);
}

export function consentWording(version: string, lang: Lang): string | null {
  return CONSENT_WORDINGS[version]?.[lang] ?? null;
}
