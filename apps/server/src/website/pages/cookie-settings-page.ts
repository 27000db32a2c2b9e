import { html } from '../html.js';
import type { PageContent } from '../layout.js';
import { type SiteState, siteHref } from '../site-state.js';

const T = {
  title: { en: 'Cookie settings', de: 'Cookie-Einstellungen' },
  lead: {
    en: 'Choose what you allow. You can change your choice here at any time; it applies from your next page view.',
    de: 'Wählen Sie, was Sie erlauben. Sie können Ihre Wahl hier jederzeit ändern; sie gilt ab dem nächsten Seitenaufruf.',
  },
  legend: { en: 'Categories', de: 'Kategorien' },
  necessary: { en: 'Necessary (always on)', de: 'Notwendig (immer aktiv)' },
  necessaryText: {
    en: 'Session cookies for signing in and the cookie that remembers this choice. The site cannot work without them.',
    de: 'Sitzungs-Cookies für die Anmeldung und das Cookie, das diese Auswahl speichert. Ohne sie funktioniert die Website nicht.',
  },
  preferences: { en: 'Preferences', de: 'Präferenzen' },
  preferencesText: {
    en: 'A permanent cookie that remembers your language for a year.',
    de: 'Ein dauerhaftes Cookie, das sich Ihre Sprache für ein Jahr merkt.',
  },
  statistics: { en: 'Statistics', de: 'Statistik' },
  statisticsText: {
    en: 'We count which pages are viewed per day, without a cookie and without identifying you.',
    de: 'Wir zählen, welche Seiten pro Tag aufgerufen werden, ohne Cookie und ohne Sie zu identifizieren.',
  },
  gpc: {
    en: 'Your browser sends the Global Privacy Control signal, so statistics stay off.',
    de: 'Ihr Browser sendet das Signal „Global Privacy Control“, daher bleibt Statistik aus.',
  },
  save: { en: 'Save my choice', de: 'Auswahl speichern' },
  acceptAll: { en: 'Accept all', de: 'Alle akzeptieren' },
  rejectAll: { en: 'Only necessary', de: 'Nur notwendige' },
  current: { en: 'Your current choice', de: 'Ihre aktuelle Auswahl' },
  none: {
    en: 'You have not made a choice yet; only necessary cookies are in use.',
    de: 'Sie haben noch keine Auswahl getroffen; es sind nur notwendige Cookies in Gebrauch.',
  },
  consentId: { en: 'Consent ID', de: 'Einwilligungs-ID' },
  saved: { en: 'Your choice has been saved.', de: 'Ihre Auswahl wurde gespeichert.' },
  on: { en: 'allowed', de: 'erlaubt' },
  off: { en: 'not allowed', de: 'nicht erlaubt' },
  more: { en: 'More in our privacy policy', de: 'Mehr in unserer Datenschutzerklärung' },
};

export function cookieSettingsPage(site: SiteState, options: { saved: boolean }): PageContent {
  const { lang, consent } = site;
  const state = (allowed: boolean) => (allowed ? T.on[lang] : T.off[lang]);
  const main = html`<div class="wrap narrow">
  <h1>${T.title[lang]}</h1>
  ${options.saved ? html`<p class="notice" role="status">${T.saved[lang]}</p>` : ''}
  <p>${T.lead[lang]}</p>
  <h2>${T.current[lang]}</h2>
  ${
    consent.consentId
      ? html`<dl class="facts">
      <dt>${T.preferences[lang]}</dt><dd>${state(consent.preferences)}</dd>
      <dt>${T.statistics[lang]}</dt><dd>${state(consent.statistics)}</dd>
      <dt>${T.consentId[lang]}</dt><dd><code>${consent.consentId}</code></dd>
    </dl>`
      : html`<p>${T.none[lang]}</p>`
  }
  <form method="post" action="/cookie-settings">
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="return_to" value="/cookie-settings">
    <fieldset>
      <legend>${T.legend[lang]}</legend>
      <div class="choice">
        <input type="checkbox" id="necessary" checked disabled aria-describedby="necessary-text">
        <div><label for="necessary">${T.necessary[lang]}</label><p id="necessary-text" class="muted">${T.necessaryText[lang]}</p></div>
      </div>
      <div class="choice">
        <input type="checkbox" id="preferences" name="preferences" value="on"${consent.preferences ? html` checked` : ''} aria-describedby="preferences-text">
        <div><label for="preferences">${T.preferences[lang]}</label><p id="preferences-text" class="muted">${T.preferencesText[lang]}</p></div>
      </div>
      <div class="choice">
        <input type="checkbox" id="statistics" name="statistics" value="on"${consent.statistics ? html` checked` : ''}${consent.gpc ? html` disabled` : ''} aria-describedby="statistics-text">
        <div><label for="statistics">${T.statistics[lang]}</label><p id="statistics-text" class="muted">${consent.gpc ? T.gpc[lang] : T.statisticsText[lang]}</p></div>
      </div>
    </fieldset>
    <div class="consent-actions">
      <button type="submit" name="choice" value="save" class="button">${T.save[lang]}</button>
      <button type="submit" name="choice" value="accept" class="button">${T.acceptAll[lang]}</button>
      <button type="submit" name="choice" value="reject" class="button">${T.rejectAll[lang]}</button>
    </div>
  </form>
  <p><a href="${siteHref(site, '/privacy#cookies')}">${T.more[lang]}</a></p>
</div>`;
  return { title: T.title[lang], main };
}
