import { hasControlCharacters, hasHiddenFormatting } from '@mailissa/contracts';
import { checkVAT, countries as vatCountries } from 'jsvat';
import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../website/forms/email-address.js';
import type { Lang, Localised } from '../website/i18n.js';

/** Countries Mailissa sells to: the EU member states and the rest of Europe's usual customers. */
export const COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GB',
  'GR',
  'HR',
  'HU',
  'IE',
  'IS',
  'IT',
  'LI',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const;
export type Country = (typeof COUNTRIES)[number];

/** VAT ids start with the country's code, except Greece's (EL). */
const VAT_PREFIX: Partial<Record<Country, string>> = { GR: 'EL' };

export function countryName(code: string, lang: Lang): string {
  return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
}

export const COMPANY_FIELDS = [
  'company_name',
  'street',
  'postal_code',
  'city',
  'country',
  'vat_id',
  'invoice_email',
  'po_reference',
] as const;
export type CompanyField = (typeof COMPANY_FIELDS)[number];

const M = {
  required: { en: 'Please fill in this field.', de: 'Bitte füllen Sie dieses Feld aus.' },
  tooLong: {
    en: 'This is too long (at most {max} characters).',
    de: 'Das ist zu lang (höchstens {max} Zeichen).',
  },
  country: { en: 'Please choose a country from the list.', de: 'Bitte wählen Sie ein Land aus der Liste.' },
  plainLine: {
    en: 'Please use one line, without control or invisible formatting characters (such as text-direction overrides).',
    de: 'Bitte nur eine Zeile, ohne Steuerzeichen und unsichtbare Formatierungszeichen (etwa Umschaltungen der Schreibrichtung).',
  },
  email: {
    en: 'Please enter a valid e-mail address, e.g. invoices@example.com.',
    de: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. rechnungen@example.com.',
  },
  vatFormat: {
    en: 'This is not a valid VAT identification number (e.g. DE123456789).',
    de: 'Das ist keine gültige Umsatzsteuer-Identifikationsnummer (z. B. DE123456789).',
  },
  vatCountry: {
    en: 'The VAT identification number must start with {prefix}, the code of the country above.',
    de: 'Die Umsatzsteuer-Identifikationsnummer muss mit {prefix} beginnen, dem Code des oben gewählten Landes.',
  },
} satisfies Record<string, Localised>;

/**
 * The company's name and address are printed on every invoice and shown to the operator: one line
 * each, and nothing that reorders or hides text (bidi overrides, zero-width spaces).
 */
function isPlainLine(value: string): boolean {
  return !hasControlCharacters(value, { multiline: false }) && !hasHiddenFormatting(value);
}

function text(lang: Lang, max: number) {
  return z
    .string({ error: M.required[lang] })
    .trim()
    .min(1, M.required[lang])
    .max(max, M.tooLong[lang].replace('{max}', String(max)))
    .refine(isPlainLine, M.plainLine[lang]);
}

/** An optional text field: empty means not given. */
function optionalText(lang: Lang, max: number) {
  return z
    .string()
    .trim()
    .max(max, M.tooLong[lang].replace('{max}', String(max)))
    .refine(isPlainLine, M.plainLine[lang])
    .transform((value) => (value === '' ? null : value))
    .optional()
    .transform((value) => value ?? null);
}

/** The company data form, its messages in the form's language; the VAT id's format checked by jsvat. */
export function companyDataSchema(lang: Lang) {
  return z
    .object({
      company_name: text(lang, 200),
      street: text(lang, 200),
      postal_code: text(lang, 20),
      city: text(lang, 100),
      country: z.enum(COUNTRIES, { error: M.country[lang] }),
      vat_id: optionalText(lang, 20).transform((value) =>
        value === null ? null : value.replace(/[\s.-]/g, '').toUpperCase(),
      ),
      invoice_email: z
        .string({ error: M.email[lang] })
        .trim()
        .max(EMAIL_MAX_LENGTH, M.email[lang])
        .pipe(z.email(M.email[lang]))
        .transform((email) => email.toLowerCase()),
      po_reference: optionalText(lang, 100),
    })
    .superRefine((data, ctx) => {
      if (data.vat_id === null) return;
      const prefix = VAT_PREFIX[data.country] ?? data.country;
      if (!data.vat_id.startsWith(prefix)) {
        ctx.addIssue({
          code: 'custom',
          path: ['vat_id'],
          message: M.vatCountry[lang].replace('{prefix}', prefix),
        });
        return;
      }
      // Countries jsvat does not know (Iceland, Liechtenstein) are taken as written.
      const checked = checkVAT(data.vat_id, vatCountries);
      if (checked.isSupportedCountry && !checked.isValid) {
        ctx.addIssue({ code: 'custom', path: ['vat_id'], message: M.vatFormat[lang] });
      }
    });
}
export type CompanyData = z.infer<ReturnType<typeof companyDataSchema>>;
