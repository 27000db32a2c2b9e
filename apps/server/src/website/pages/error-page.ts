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

/** The `main` of an error page; `message` is shown as text (escaped). */
export function errorPage(lang: Lang, status: number, message: string): PageContent {
  const key = status === 403 || status === 404 || status === 429 ? status : status >= 500 ? 500 : 400;
  const title = T[key][lang];
  return {
    title,
    main: html`<div class="wrap narrow"><h1>${title}</h1><p role="alert">${message}</p><p><a href="/">${T.home[lang]}</a></p></div>`,
  };
}
