import { hasControlCharacters, hasHiddenFormatting } from '@mailissa/contracts';
import { z } from 'zod';
import { EMAIL_MAX_LENGTH, emailAddressSchema } from '../website/forms/email-address.js';
import type { Lang, Localised } from '../website/i18n.js';

export const CONTACT_LIMITS = { name: 200, email: EMAIL_MAX_LENGTH, company: 200, message: 5000 } as const;

const MESSAGES = {
  nameRequired: { en: 'Please enter your name.', de: 'Bitte geben Sie Ihren Namen ein.' },
  nameTooLong: {
    en: `Please keep your name to ${CONTACT_LIMITS.name} characters.`,
    de: `Ihr Name darf höchstens ${CONTACT_LIMITS.name} Zeichen lang sein.`,
  },
  singleLine: {
    en: 'Please use a single line without special control characters.',
    de: 'Bitte nur eine Zeile ohne Steuerzeichen verwenden.',
  },
  companyTooLong: {
    en: `Please keep the company name to ${CONTACT_LIMITS.company} characters.`,
    de: `Der Firmenname darf höchstens ${CONTACT_LIMITS.company} Zeichen lang sein.`,
  },
  hiddenFormatting: {
    en: 'Please remove invisible formatting characters (such as text-direction overrides).',
    de: 'Bitte entfernen Sie unsichtbare Formatierungszeichen (etwa Umschaltungen der Schreibrichtung).',
  },
  messageRequired: { en: 'Please write your message.', de: 'Bitte schreiben Sie Ihre Nachricht.' },
  messageTooLong: {
    en: `Please keep your message to ${CONTACT_LIMITS.message} characters.`,
    de: `Ihre Nachricht darf höchstens ${CONTACT_LIMITS.message} Zeichen lang sein.`,
  },
  messageControl: {
    en: 'Your message contains control characters we cannot accept.',
    de: 'Ihre Nachricht enthält Steuerzeichen, die wir nicht annehmen können.',
  },
} satisfies Record<string, Localised>;

/** The contact form's fields, with messages in the visitor's language for display beside each field. */
export function contactFormSchema(lang: Lang) {
  return z.object({
    name: z
      .string({ error: MESSAGES.nameRequired[lang] })
      .trim()
      .min(1, MESSAGES.nameRequired[lang])
      .max(CONTACT_LIMITS.name, MESSAGES.nameTooLong[lang])
      .refine((value) => !hasControlCharacters(value, { multiline: false }), MESSAGES.singleLine[lang])
      // The name goes into the subject of the operator's mail: nothing may reorder or hide text there.
      .refine((value) => !hasHiddenFormatting(value), MESSAGES.hiddenFormatting[lang]),
    email: emailAddressSchema(lang),
    company: z
      .string()
      .trim()
      .max(CONTACT_LIMITS.company, MESSAGES.companyTooLong[lang])
      .refine((value) => !hasControlCharacters(value, { multiline: false }), MESSAGES.singleLine[lang])
      .refine((value) => !hasHiddenFormatting(value), MESSAGES.hiddenFormatting[lang])
      .optional()
      .transform((value) => (value ? value : null)),
    message: z
      .string({ error: MESSAGES.messageRequired[lang] })
      .trim()
      .min(1, MESSAGES.messageRequired[lang])
      .max(CONTACT_LIMITS.message, MESSAGES.messageTooLong[lang])
      .refine((value) => !hasControlCharacters(value, { multiline: true }), MESSAGES.messageControl[lang]),
  });
}
export type ContactFormInput = z.infer<ReturnType<typeof contactFormSchema>>;
export type ContactField = keyof ContactFormInput;
