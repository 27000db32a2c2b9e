import { html } from '../html.js';
import type { Lang } from '../i18n.js';
import type { PageContent } from '../layout.js';

const T = {
  400: { en: 'That did not work', de: 'Das hat nicht geklappt' },
  403: { en: 'Not allowed', de: 'Nicht erlaubt' },
  404: { en: 'Page not found', de: 'Seite nicht gefunden' },
  429: { en: 'Too many requests', de: 'Zu viele Anfragen' },
  500: { en: 'Something went wrong', de: 'Etwas ist schiefgegangen' },
  home: { en: 'Back to the home page', de: 'Zurück zur Startseite' },
};

/** What a browser is told for an error of the API it navigated to (the API's own text is English). */
const MESSAGES = {
  400: {
    en: 'Your browser sent a request we could not handle.',
    de: 'Ihr Browser hat eine Anfrage gesendet, die wir nicht bearbeiten konnten.',
  },
  403: {
    en: 'You are not allowed to open this page.',
    de: 'Sie dürfen diese Seite nicht öffnen.',
  },
  404: {
    en: 'There is no page at this address. It may have moved, or the link may be mistyped.',
    de: 'Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben oder der Link ist falsch geschrieben.',
  },
  429: {
    en: 'Too many requests came from your network. Please wait a few minutes and try again.',
    de: 'Aus Ihrem Netzwerk kamen zu viele Anfragen. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.',
  },
  500: {
    en: 'Something went wrong on our side. Please try again later.',
    de: 'Auf unserer Seite ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.',
  },
};

function pageKind(status: number): keyof typeof MESSAGES {
  return status === 403 || status === 404 || status === 429 ? status : status >= 500 ? 500 : 400;
}

/** The standard text for an error status in a language, for errors whose own message is not for people. */
export function errorPageMessage(lang: Lang, status: number): string {
  return MESSAGES[pageKind(status)][lang];
}

/** The `main` of an error page; `message` is shown as text (escaped). */
export function errorPage(lang: Lang, status: number, message: string): PageContent {
  const title = T[pageKind(status)][lang];
  return {
    title,
    main: html`<div class="wrap narrow"><h1>${title}</h1><p role="alert">${message}</p><p><a href="/">${T.home[lang]}</a></p></div>`,
  };
}
