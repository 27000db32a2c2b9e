import { formAlerts, trapField } from '../website/forms/site-form.js';
import {
  html,
  type Localised,
  type PageContent,
  type PageView,
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
  rateLimited: {
    en: 'We have received several enquiries from your connection just now. Please try again in {minutes} minutes.',
    de: 'Von Ihrer Verbindung kamen gerade mehrere Anfragen. Bitte versuchen Sie es in {minutes} Minuten erneut.',
  },
} satisfies Record<string, Localised>;

export type ContactFormValues = Partial<Record<ContactField, string>>;
export type ContactFieldErrors = Partial<Record<ContactField, string>>;

export interface ContactPageOptions {
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

export function contactPage(site: PageView, options: ContactPageOptions): PageContent {
  const { lang } = site;
  const values = options.values ?? {};
  const errors = options.fieldErrors ?? {};
  const main = html`<section class="wrap page">
  <h1>${TEXT.title[lang]}</h1>
  <p>${TEXT.intro[lang]}</p>
  ${formAlerts(options.formError, Object.keys(errors).length > 0 ? TEXT.errorSummary[lang] : undefined)}
  <form class="form" method="post" action="${siteHref(site, '/contact')}" novalidate>
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="form_token" value="${options.formToken}">
    ${field({ name: 'name', label: TEXT.name[lang], value: values.name, error: errors.name, maxLength: CONTACT_LIMITS.name, autocomplete: 'name', required: true })}
    ${field({ name: 'email', label: TEXT.email[lang], value: values.email, error: errors.email, maxLength: CONTACT_LIMITS.email, type: 'email', autocomplete: 'email', required: true })}
    ${field({ name: 'company', label: TEXT.company[lang], value: values.company, error: errors.company, maxLength: CONTACT_LIMITS.company, autocomplete: 'organization', required: false })}
    ${field({ name: 'message', label: TEXT.message[lang], value: values.message, error: errors.message, maxLength: CONTACT_LIMITS.message, autocomplete: 'off', required: true, multiline: true })}
    ${trapField('contact', lang)}
    <p class="form-note">${TEXT.privacy[lang].replace('{days}', String(options.retentionDays))} <a href="${siteHref(site, '/privacy')}">${TEXT.privacyLink[lang]}</a></p>
    <button type="submit" class="button button-primary">${TEXT.send[lang]}</button>
  </form>
</section>`;
  return { title: TEXT.title[lang], main };
}

export function contactSentPage(site: PageView): PageContent {
  const { lang } = site;
  return {
    title: TEXT.sentTitle[lang],
    main: html`<section class="wrap page">
  <h1>${TEXT.sentTitle[lang]}</h1>
  <p class="notice" role="status">${TEXT.sentText[lang]}</p>
  <p><a href="${siteHref(site, '/')}">${TEXT.backHome[lang]}</a></p>
</section>`,
  };
}
