import { z } from 'zod';
import type { Lang, Localised } from '../i18n.js';

/** RFC 5321's limit on a forward path. */
export const EMAIL_MAX_LENGTH = 320;

const EMAIL_INVALID = {
  en: 'Please enter a valid e-mail address, e.g. name@example.com.',
  de: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.com.',
} satisfies Localised;

/** An e-mail address as the website accepts it: one line, at most 320 characters, a valid address. */
export function emailAddressSchema(lang: Lang) {
  return z
    .string({ error: EMAIL_INVALID[lang] })
    .trim()
    .max(EMAIL_MAX_LENGTH, EMAIL_INVALID[lang])
    .pipe(z.email(EMAIL_INVALID[lang]))
    .transform((email) => email.toLowerCase());
}
