import {
  type ConsentView,
  html,
  type Lang,
  type Localised,
  renderPage,
  type SafeHtml,
  siteHref,
} from '../website/layout.js';
import { CONTACT_LIMITS, type ContactField } from './contact.schemas.js';

export const TEXT = {
  title: { en: 'Contact', de: 'Kontakt' },
  intro: {
    en: 'Questions about Mailissa, a demo, or pricing for your organisation? Write to us and we will answer by e-mail.',
    de: 'Fragen zu Mailissa, eine Vorführung oder Preise für Ihre Organisation? Schreiben Sie uns, wir antworten per E-Mail.',
  },
  name: { en: 'Name', de: 'Name' },
  email: { en: 'E-mail address', de: 'E-Mail-Adresse' },
  company: { en: 'Company (optional)', de: 'Firma (optional)' },
  message: { en: 'Your message', de: 'Ihre Nachricht' },
  honeypot: {
    en: 'Leave this field empty (it catches automated spam)',
    de: 'Dieses Feld leer lassen (es fängt automatisierten Spam ab)',
  },
  send: { en: 'Send enquiry', de: 'Anfrage senden' },
  privacy: {
    en: 'We use what you enter here only to answer your enquiry and never pass it on to anyone. We delete the enquiry {days} days after we have closed it.',
    de: 'Ihre Angaben verwenden wir ausschließlich, um Ihre Anfrage zu beantworten, und geben sie an niemanden weiter. {days} Tage nach Abschluss der Anfrage löschen wir sie.',
  },
  privacyLink: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  errorSummary: {
    en: 'Please check the fields marked below.',
    de: 'Bitte prüfen Sie die unten markierten Felder.',
  },
  sentTitle: { en: 'Thank you', de: 'Vielen Dank' },
  sentText: {
    en: 'Your enquiry has reached us. We will answer you by e-mail as soon as we can.',
    de: 'Ihre Anfrage ist bei uns angekommen. Wir antworten Ihnen so bald wie möglich per E-Mail.',
  },
  backHome: { en: 'Back to the home page', de: 'Zurück zur Startseite' },
  tooFast: {
    en: 'That was very quick. Please check your entries and send the form again.',
    de: 'Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular erneut.',
  },
  expired: {
    en: 'This form was open for too long. Please send it again.',
    de: 'Dieses Formular war zu lange geöffnet. Bitte senden Sie es erneut.',
  },
  forged: {
    en: 'We could not verify this form. Please send it again from this page.',
    de: 'Wir konnten dieses Formular nicht prüfen. Bitte senden Sie es erneut von dieser Seite.',
  },
  rateLimited: {
    en: 'We have received several enquiries from your connection just now. Please try again in {minutes} minutes.',
    de: 'Von Ihrer Verbindung kamen gerade mehrere Anfragen. Bitte versuchen Sie es in {minutes} Minuten erneut.',
  },
} satisfies Record<string, Localised>;

export type ContactFormValues = Partial<Record<ContactField, string>>;
export type ContactFieldErrors = Partial<Record<ContactField, string>>;

export interface ContactPageOptions {
  lang: Lang;
  langInLinks: boolean;
  consent: ConsentView;
  formToken: string;
  retentionDays: number;
  values?: ContactFormValues;
  fieldErrors?: ContactFieldErrors;
  /** A problem with the whole form (expired, too fast, rate limited). */
  formError?: string;
}

function field(options: {
  name: ContactField;
  label: string;
  value: string | undefined;
  error: string | undefined;
  maxLength: number;
  type?: 'text' | 'email';
  autocomplete: string;
  required: boolean;
  multiline?: boolean;
}): SafeHtml {
  const id = `contact-${options.name}`;
  const errorId = `${id}-error`;
  const describedBy = options.error ? html` aria-describedby="${errorId}" aria-invalid="true"` : html``;
  const control = options.multiline
    ? html`<textarea id="${id}" name="${options.name}" rows="8" maxlength="${options.maxLength}"${options.required ? html` required` : ''}${describedBy}>${options.value ?? ''}</textarea>`
    : html`<input id="${id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value ?? ''}" maxlength="${options.maxLength}" autocomplete="${options.autocomplete}"${options.required ? html` required` : ''}${describedBy}>`;
  return html`<div class="field${options.error ? ' field-invalid' : ''}">
  <label for="${id}">${options.label}</label>
  ${control}
  ${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
</div>`;
}

export function renderContactPage(options: ContactPageOptions): SafeHtml {
  const { lang } = options;
  const values = options.values ?? {};
  const errors = options.fieldErrors ?? {};
  const site = { lang, langInLinks: options.langInLinks };
  const hasFieldErrors = Object.keys(errors).length > 0;
  const main = html`<section class="wrap page">
  <h1>${TEXT.title[lang]}</h1>
  <p>${TEXT.intro[lang]}</p>
  ${options.formError ? html`<p class="form-error" role="alert">${options.formError}</p>` : ''}
  ${hasFieldErrors ? html`<p class="form-error" role="alert">${TEXT.errorSummary[lang]}</p>` : ''}
  <form class="form" method="post" action="${siteHref(site, '/contact')}" novalidate>
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="form_token" value="${options.formToken}">
    ${field({ name: 'name', label: TEXT.name[lang], value: values.name, error: errors.name, maxLength: CONTACT_LIMITS.name, autocomplete: 'name', required: true })}
    ${field({ name: 'email', label: TEXT.email[lang], value: values.email, error: errors.email, maxLength: CONTACT_LIMITS.email, type: 'email', autocomplete: 'email', required: true })}
    ${field({ name: 'company', label: TEXT.company[lang], value: values.company, error: errors.company, maxLength: CONTACT_LIMITS.company, autocomplete: 'organization', required: false })}
    ${field({ name: 'message', label: TEXT.message[lang], value: values.message, error: errors.message, maxLength: CONTACT_LIMITS.message, autocomplete: 'off', required: true, multiline: true })}
    <div class="field field-trap" hidden aria-hidden="true">
      <label for="contact-website">${TEXT.honeypot[lang]}</label>
      <input id="contact-website" name="website" type="text" value="" tabindex="-1" autocomplete="off">
    </div>
    <p class="form-note">${TEXT.privacy[lang].replace('{days}', String(options.retentionDays))} <a href="${siteHref(site, '/privacy')}">${TEXT.privacyLink[lang]}</a></p>
    <button type="submit" class="button button-primary">${TEXT.send[lang]}</button>
  </form>
</section>`;
  return renderPage({
    lang,
    title: TEXT.title[lang],
    path: '/contact',
    main,
    consent: options.consent,
    langInLinks: options.langInLinks,
  });
}

export function renderContactSentPage(options: {
  lang: Lang;
  langInLinks: boolean;
  consent: ConsentView;
}): SafeHtml {
  const { lang } = options;
  const site = { lang, langInLinks: options.langInLinks };
  return renderPage({
    lang,
    title: TEXT.sentTitle[lang],
    path: '/contact',
    consent: options.consent,
    langInLinks: options.langInLinks,
    main: html`<section class="wrap page">
  <h1>${TEXT.sentTitle[lang]}</h1>
  <p class="notice" role="status">${TEXT.sentText[lang]}</p>
  <p><a href="${siteHref(site, '/')}">${TEXT.backHome[lang]}</a></p>
</section>`,
  });
}
