import { html } from '../html.js';
import type { Lang } from '../i18n.js';
import type { PageContent } from '../layout.js';
import { type SiteState, siteHref } from '../site-state.js';

const T = {
  title: { en: 'Outlook, connected', de: 'Outlook, verbunden' },
  kicker: { en: 'Add-in for Microsoft 365', de: 'Add-in für Microsoft 365' },
  heading: {
    en: 'Mail is where work arrives. Mailissa takes it where work gets done.',
    de: 'In der Mail kommt die Arbeit an. Mailissa bringt sie dorthin, wo sie erledigt wird.',
  },
  lead: {
    en: 'Mailissa sits beside the mail you are reading in Outlook. Your team works on shared mail together, and any mail goes to SharePoint, Teams, Jira or wherever it belongs — in two clicks.',
    de: 'Mailissa steht neben der Mail, die Sie in Outlook lesen. Ihr Team bearbeitet geteilte Mails gemeinsam, und jede Mail landet in SharePoint, Teams, Jira oder wo immer sie hingehört – mit zwei Klicks.',
  },
  pricing: { en: 'See plans and prices', de: 'Pläne und Preise' },
  contact: { en: 'Talk to us', de: 'Sprechen Sie uns an' },
  modules: { en: 'Two modules, one add-in', de: 'Zwei Module, ein Add-in' },
  teamTitle: { en: 'Team', de: 'Team' },
  teamText: {
    en: 'Everyone sees the same state of the same mail, in personal and shared mailboxes alike.',
    de: 'Alle sehen denselben Stand derselben Mail – in persönlichen wie in geteilten Postfächern.',
  },
  teamPoints: {
    en: [
      'Tenant-wide coloured categories, in English and German',
      'Who is assigned and whether it is open, pending or done',
      'Internal notes that never leave your team',
      'Who else has the mail open right now',
    ],
    de: [
      'Mandantenweite farbige Kategorien auf Deutsch und Englisch',
      'Wer zuständig ist und ob sie offen, wartend oder erledigt ist',
      'Interne Notizen, die Ihr Team nie verlassen',
      'Wer die Mail gerade ebenfalls geöffnet hat',
    ],
  },
  transferTitle: { en: 'Transfer', de: 'Transfer' },
  transferText: {
    en: 'Send a mail to a target in another system, with its attachments, mapped to the fields there.',
    de: 'Eine Mail samt Anhängen an ein Ziel in einem anderen System senden, passend zu den Feldern dort.',
  },
  transferPoints: {
    en: [
      'SharePoint, OneDrive, Teams, Planner, WebDAV and Nextcloud, Domino, Jira, Trello, webhooks, e-mail',
      'Link the mail to an existing record instead of creating a new one',
      'A warning when the mail went there before',
      'An Outlook category on the mail shows where it went',
    ],
    de: [
      'SharePoint, OneDrive, Teams, Planner, WebDAV und Nextcloud, Domino, Jira, Trello, Webhooks, E-Mail',
      'Die Mail mit einem vorhandenen Datensatz verknüpfen statt einen neuen anzulegen',
      'Ein Hinweis, wenn die Mail dort schon einmal gelandet ist',
      'Eine Outlook-Kategorie an der Mail zeigt, wohin sie ging',
    ],
  },
  adminTitle: { en: 'For administrators', de: 'Für Administratoren' },
  adminText: {
    en: 'In the portal you assign licences, decide which users and groups see which targets, and keep the credentials of target systems encrypted. Everyone signs in with their Microsoft 365 account.',
    de: 'Im Portal vergeben Sie Lizenzen, legen fest, welche Benutzer und Gruppen welche Ziele sehen, und verwahren die Zugangsdaten der Zielsysteme verschlüsselt. Alle melden sich mit ihrem Microsoft-365-Konto an.',
  },
  privacyTitle: { en: 'Private by design', de: 'Datenschutz von Anfang an' },
  privacyText: {
    en: 'Mail content passes through and is never stored. This website loads nothing from other companies, and our logs never keep your full IP address.',
    de: 'Mailinhalte werden durchgereicht und nie gespeichert. Diese Website lädt nichts von anderen Unternehmen, und unsere Protokolle speichern nie Ihre vollständige IP-Adresse.',
  },
  privacyLink: { en: 'Read our privacy policy', de: 'Zur Datenschutzerklärung' },
};

export function homePage(site: SiteState): PageContent {
  const lang: Lang = site.lang;
  const link = (path: string) => siteHref(site, path);
  const main = html`<section class="hero" aria-labelledby="hero-title">
  <div class="wrap">
    <p class="tag">${T.kicker[lang]}</p>
    <h1 id="hero-title">${T.heading[lang]}</h1>
    <p class="lead">${T.lead[lang]}</p>
    <div class="actions">
      <a class="button" href="${link('/pricing')}">${T.pricing[lang]}</a>
      <a class="button secondary" href="${link('/contact')}">${T.contact[lang]}</a>
    </div>
  </div>
</section>
<div class="wrap">
  <h2>${T.modules[lang]}</h2>
  <ul class="cards">
    <li class="card">
      <h3>${T.teamTitle[lang]}</h3>
      <p>${T.teamText[lang]}</p>
      <ul>${T.teamPoints[lang].map((point) => html`<li>${point}</li>`)}</ul>
    </li>
    <li class="card">
      <h3>${T.transferTitle[lang]}</h3>
      <p>${T.transferText[lang]}</p>
      <ul>${T.transferPoints[lang].map((point) => html`<li>${point}</li>`)}</ul>
    </li>
  </ul>
  <h2>${T.adminTitle[lang]}</h2>
  <p class="narrow">${T.adminText[lang]}</p>
  <h2>${T.privacyTitle[lang]}</h2>
  <p class="narrow">${T.privacyText[lang]} <a href="${link('/privacy')}">${T.privacyLink[lang]}</a></p>
</div>`;
  return { title: T.title[lang], main };
}
