import { formAlerts, trapField } from '../website/forms/site-form.js';
import { html, type Localised, type PageContent, type PageView, siteHref } from '../website/layout.js';
import { messagePage as siteMessagePage } from '../website/message-page.js';
import { consentWording } from './consent-wording.js';

export const TEXT = {
  title: { en: 'Newsletter', de: 'Newsletter' },
  intro: {
    en: 'News about Mailissa and tips for working with mail in Outlook, at most once a month. We need nothing but your e-mail address.',
    de: 'Neues zu Mailissa und Tipps rund um E-Mail in Outlook, höchstens einmal im Monat. Wir brauchen nur Ihre E-Mail-Adresse.',
  },
  email: { en: 'E-mail address', de: 'E-Mail-Adresse' },
  subscribe: { en: 'Subscribe', de: 'Abonnieren' },
  howItWorks: {
    en: 'After you subscribe we send you a mail with a confirmation link (double opt-in). Only when you confirm there do you get the newsletter. Unconfirmed sign-ups are deleted after 7 days.',
    de: 'Nach der Anmeldung senden wir Ihnen eine E-Mail mit einem Bestätigungslink (Double-Opt-in). Erst wenn Sie dort bestätigen, erhalten Sie den Newsletter. Unbestätigte Anmeldungen löschen wir nach 7 Tagen.',
  },
  privacyLink: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  errorSummary: { en: 'Please check the field marked below.', de: 'Bitte prüfen Sie das markierte Feld.' },
  checkInboxTitle: { en: 'Please check your inbox', de: 'Bitte sehen Sie in Ihr Postfach' },
  checkInboxText: {
    en: 'If this address is not yet on our list, we have sent it a mail with a confirmation link. Open the link and confirm there; until then you get no newsletter. Signing up more than once is harmless: an address that is already confirmed stays subscribed and gets no further mail.',
    de: 'Falls diese Adresse noch nicht auf unserer Liste steht, haben wir ihr eine E-Mail mit einem Bestätigungslink gesendet. Öffnen Sie den Link und bestätigen Sie dort; bis dahin erhalten Sie keinen Newsletter. Mehrfaches Anmelden schadet nicht: Eine bereits bestätigte Adresse bleibt angemeldet und erhält keine weitere E-Mail.',
  },
  confirmTitle: { en: 'Confirm your subscription', de: 'Anmeldung bestätigen' },
  confirmText: {
    en: 'Press the button to confirm that you want the Mailissa newsletter at this address. Nothing happens until you do.',
    de: 'Bestätigen Sie mit der Schaltfläche, dass Sie den Mailissa-Newsletter an diese Adresse erhalten möchten. Solange Sie das nicht tun, geschieht nichts.',
  },
  confirmButton: { en: 'Confirm subscription', de: 'Anmeldung bestätigen' },
  confirmedTitle: { en: 'You are subscribed', de: 'Sie sind angemeldet' },
  confirmedText: {
    en: 'Thank you! Your address is confirmed. Every newsletter contains a link to unsubscribe with one click.',
    de: 'Vielen Dank! Ihre Adresse ist bestätigt. Jeder Newsletter enthält einen Link, mit dem Sie sich mit einem Klick abmelden können.',
  },
  alreadyConfirmedText: {
    en: 'This subscription was already confirmed. Nothing has changed; you remain subscribed.',
    de: 'Diese Anmeldung war bereits bestätigt. Es hat sich nichts geändert; Sie bleiben angemeldet.',
  },
  invalidTitle: { en: 'This link does not work', de: 'Dieser Link funktioniert nicht' },
  invalidText: {
    en: 'The link is incomplete or was not made by us. Please copy the whole link from the mail, or sign up again.',
    de: 'Der Link ist unvollständig oder stammt nicht von uns. Bitte kopieren Sie den vollständigen Link aus der E-Mail oder melden Sie sich erneut an.',
  },
  expiredTitle: { en: 'This link has expired', de: 'Dieser Link ist abgelaufen' },
  expiredText: {
    en: 'Confirmation links work for 7 days. Please sign up again to get a new one.',
    de: 'Bestätigungslinks sind 7 Tage gültig. Bitte melden Sie sich erneut an, um einen neuen zu erhalten.',
  },
  goneText: {
    en: 'We no longer have this sign-up: it was not confirmed within 7 days, or the address has been unsubscribed. Please sign up again if you want the newsletter.',
    de: 'Diese Anmeldung gibt es nicht mehr: Sie wurde nicht innerhalb von 7 Tagen bestätigt, oder die Adresse wurde abgemeldet. Melden Sie sich bitte erneut an, wenn Sie den Newsletter möchten.',
  },
  signUpAgain: { en: 'Sign up for the newsletter', de: 'Zum Newsletter anmelden' },
  unsubscribeTitle: { en: 'Unsubscribe', de: 'Abmelden' },
  unsubscribeText: {
    en: 'Press the button to stop the Mailissa newsletter. We delete your address and the record of your consent at once.',
    de: 'Mit der Schaltfläche bestellen Sie den Mailissa-Newsletter ab. Wir löschen Ihre Adresse und den Nachweis Ihrer Einwilligung sofort.',
  },
  unsubscribeButton: { en: 'Unsubscribe', de: 'Abmelden' },
  unsubscribedTitle: { en: 'You are unsubscribed', de: 'Sie sind abgemeldet' },
  unsubscribedText: {
    en: 'You will get no more newsletters. We have deleted your address and the record of your consent.',
    de: 'Sie erhalten keinen Newsletter mehr. Wir haben Ihre Adresse und den Nachweis Ihrer Einwilligung gelöscht.',
  },
  notSubscribedText: {
    en: 'This address is not (or no longer) subscribed. Nothing has changed, and you will get no newsletter.',
    de: 'Diese Adresse ist nicht (mehr) angemeldet. Es hat sich nichts geändert, und Sie erhalten keinen Newsletter.',
  },
  tooFast: {
    en: 'That was very quick. Please check your address and send the form again.',
    de: 'Das ging sehr schnell. Bitte prüfen Sie Ihre Adresse und senden Sie das Formular erneut.',
  },
  unknownWording: {
    en: 'The consent text on this form has changed. Please read it again and send the form again.',
    de: 'Der Einwilligungstext dieses Formulars hat sich geändert. Bitte lesen Sie ihn erneut und senden Sie das Formular noch einmal.',
  },
  rateLimited: {
    en: 'We have received several sign-ups from your connection just now. Please try again in {minutes} minutes.',
    de: 'Von Ihrer Verbindung kamen gerade mehrere Anmeldungen. Bitte versuchen Sie es in {minutes} Minuten erneut.',
  },
} satisfies Record<string, Localised>;

export interface SignUpPageOptions {
  formToken: string;
  consentVersion: string;
  email?: string;
  emailError?: string;
  formError?: string;
}

export function signUpPage(site: PageView, options: SignUpPageOptions): PageContent {
  const { lang } = site;
  const wording = consentWording(options.consentVersion, lang) ?? '';
  const invalid = options.emailError
    ? html` aria-describedby="newsletter-email-error" aria-invalid="true"`
    : html``;
  return {
    title: TEXT.title[lang],
    main: html`<section class="wrap page">
  <h1>${TEXT.title[lang]}</h1>
  <p>${TEXT.intro[lang]}</p>
  ${formAlerts(options.formError, options.emailError ? TEXT.errorSummary[lang] : undefined)}
  <form class="form" method="post" action="${siteHref(site, '/newsletter')}" novalidate>
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="form_token" value="${options.formToken}">
    <input type="hidden" name="consent_version" value="${options.consentVersion}">
    <div class="field${options.emailError ? ' field-invalid' : ''}">
      <label for="newsletter-email">${TEXT.email[lang]}</label>
      <input id="newsletter-email" name="email" type="email" value="${options.email ?? ''}" maxlength="320" autocomplete="email" required${invalid}>
      ${options.emailError ? html`<p class="field-error" id="newsletter-email-error">${options.emailError}</p>` : ''}
    </div>
    ${trapField('newsletter', lang)}
    <p class="consent-wording" id="newsletter-consent">${wording}</p>
    <p class="form-note">${TEXT.howItWorks[lang]} <a href="${siteHref(site, '/privacy')}">${TEXT.privacyLink[lang]}</a></p>
    <button type="submit" class="button button-primary" aria-describedby="newsletter-consent">${TEXT.subscribe[lang]}</button>
  </form>
</section>`,
  };
}

export interface MessagePageOptions {
  title: string;
  text: string;
  /** A button that posts a form (the confirmation and unsubscribe pages). */
  action?: { url: string; label: string; fields: Record<string, string> };
  /** A link back to the sign-up form. */
  offerSignUp?: boolean;
}

/** A newsletter message; `offerSignUp` adds the way back to the sign-up form. */
export function messagePage(site: PageView, options: MessagePageOptions): PageContent {
  const { offerSignUp, ...message } = options;
  return siteMessagePage({
    ...message,
    ...(offerSignUp
      ? { followUp: { href: siteHref(site, '/newsletter'), label: TEXT.signUpAgain[site.lang] } }
      : {}),
  });
}
