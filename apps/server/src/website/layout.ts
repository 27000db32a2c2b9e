import type { FastifyReply } from 'fastify';
import { html, type SafeHtml } from './html.js';
import type { Lang, Localised } from './i18n.js';
import { type ConsentView, type SiteState, sendPage, siteHref } from './site-state.js';
import { SITE_CSS_VERSION } from './website-assets.js';

export { escapeHtml, type HtmlValue, html, SafeHtml, trustedHtml } from './html.js';
export type { Lang, Localised } from './i18n.js';
export { type ConsentView, readSiteState, type SiteState, sendPage, siteHref } from './site-state.js';

/** Where the stylesheet lives; the query is its content hash, so caches pick up every change. */
export const SITE_CSS_PATH = `/site/site.css?v=${SITE_CSS_VERSION}`;

export interface RenderPageOptions {
  lang: Lang;
  /** The page's own title; the layout appends the product name. */
  title: string;
  /** The page's path without query, e.g. `/pricing` (marks the current nav entry, language switch). */
  path: string;
  /** The page's content, placed inside `<main>`. */
  main: SafeHtml;
  consent: ConsentView;
  /** Carry `?lang=` on internal links (see SiteState.langInLinks). */
  langInLinks?: boolean;
  description?: string;
}

const NAV: { path: string; label: Localised }[] = [
  { path: '/', label: { en: 'Home', de: 'Start' } },
  { path: '/pricing', label: { en: 'Pricing', de: 'Preise' } },
  { path: '/contact', label: { en: 'Contact', de: 'Kontakt' } },
  { path: '/newsletter', label: { en: 'Newsletter', de: 'Newsletter' } },
];

const FOOTER: { path: string; label: Localised }[] = [
  { path: '/imprint', label: { en: 'Imprint', de: 'Impressum' } },
  { path: '/privacy', label: { en: 'Privacy policy', de: 'Datenschutzerklärung' } },
  { path: '/cookie-settings', label: { en: 'Cookie settings', de: 'Cookie-Einstellungen' } },
];

const TEXT = {
  skip: { en: 'Skip to content', de: 'Zum Inhalt springen' },
  mainNav: { en: 'Main', de: 'Hauptmenü' },
  footerNav: { en: 'Legal', de: 'Rechtliches' },
  switchTo: { en: 'Deutsch', de: 'English' },
  switchLabel: { en: 'Diese Seite auf Deutsch', de: 'This page in English' },
  tagline: {
    en: 'Outlook, connected to the systems your company works in.',
    de: 'Outlook, verbunden mit den Systemen, in denen Ihr Unternehmen arbeitet.',
  },
  bannerTitle: { en: 'Your cookie choice', de: 'Ihre Cookie-Auswahl' },
  bannerText: {
    en: 'We set only the cookies this site needs to work. With your consent we also remember your language (a permanent cookie) and count page views without cookies to improve the site. You can change your mind at any time in the cookie settings.',
    de: 'Wir setzen nur die Cookies, die diese Website zum Funktionieren braucht. Mit Ihrer Einwilligung merken wir uns zusätzlich Ihre Sprache (ein dauerhaftes Cookie) und zählen Seitenaufrufe ohne Cookies, um die Website zu verbessern. Sie können Ihre Wahl jederzeit in den Cookie-Einstellungen ändern.',
  },
  bannerTextGpc: {
    en: 'We set only the cookies this site needs to work. Your browser sends the Global Privacy Control signal, so we do not count your visits and do not ask you to allow it. With your consent we remember your language in a permanent cookie.',
    de: 'Wir setzen nur die Cookies, die diese Website zum Funktionieren braucht. Ihr Browser sendet das Signal „Global Privacy Control“; daher zählen wir Ihre Besuche nicht und fragen auch nicht danach. Mit Ihrer Einwilligung merken wir uns Ihre Sprache in einem dauerhaften Cookie.',
  },
  accept: { en: 'Accept all', de: 'Alle akzeptieren' },
  acceptGpc: { en: 'Remember my language', de: 'Sprache merken' },
  reject: { en: 'Only necessary', de: 'Nur notwendige' },
  settings: { en: 'Settings', de: 'Einstellungen' },
} satisfies Record<string, Localised>;

function consentBanner(options: RenderPageOptions, link: (path: string) => string): SafeHtml {
  const { lang, consent, path } = options;
  if (!consent.showBanner || path === '/cookie-settings') return html``;
  return html`<section class="consent-banner" aria-labelledby="consent-banner-title">
  <div class="wrap">
    <h2 id="consent-banner-title">${TEXT.bannerTitle[lang]}</h2>
    <p>${consent.gpc ? TEXT.bannerTextGpc[lang] : TEXT.bannerText[lang]}</p>
    <form method="post" action="/cookie-settings" class="consent-actions">
      <input type="hidden" name="lang" value="${lang}">
      <input type="hidden" name="return_to" value="${path}">
      <button type="submit" name="choice" value="accept" class="button">${consent.gpc ? TEXT.acceptGpc[lang] : TEXT.accept[lang]}</button>
      <button type="submit" name="choice" value="reject" class="button">${TEXT.reject[lang]}</button>
      <a href="${link('/cookie-settings')}" class="consent-more">${TEXT.settings[lang]}</a>
    </form>
  </div>
</section>`;
}

/** A whole HTML document: skip link, header with navigation and language switch, main, footer, banner. */
export function renderPage(options: RenderPageOptions): SafeHtml {
  const { lang, title, path, main } = options;
  const site = { lang, langInLinks: options.langInLinks ?? false };
  const link = (target: string) => siteHref(site, target);
  const other: Lang = lang === 'en' ? 'de' : 'en';
  const navLink = (entry: { path: string; label: Localised }) =>
    html`<li><a href="${link(entry.path)}"${entry.path === path ? html` aria-current="page"` : ''}>${entry.label[lang]}</a></li>`;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Mailissa</title>
<meta name="description" content="${options.description ?? TEXT.tagline[lang]}">
<link rel="stylesheet" href="${SITE_CSS_PATH}">
<link rel="icon" href="/site/favicon.svg" type="image/svg+xml">
<link rel="alternate" hreflang="${other}" href="${path}?lang=${other}">
</head>
<body>
<a class="skip-link" href="#main">${TEXT.skip[lang]}</a>
${consentBanner(options, link)}
<header class="site-header">
  <div class="wrap header-inner">
    <a class="brand" href="${link('/')}"><span class="brand-mark" aria-hidden="true">M</span>Mailissa</a>
    <nav aria-label="${TEXT.mainNav[lang]}">
      <ul class="nav">${NAV.map(navLink)}</ul>
    </nav>
    <a class="lang-switch" href="${path}?lang=${other}" hreflang="${other}" lang="${other}" aria-label="${TEXT.switchLabel[lang]}">${TEXT.switchTo[lang]}</a>
  </div>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="site-footer">
  <div class="wrap footer-inner">
    <p>© Mailissa · ${TEXT.tagline[lang]}</p>
    <nav aria-label="${TEXT.footerNav[lang]}">
      <ul class="nav">${NAV.map(navLink)}${FOOTER.map(navLink)}</ul>
    </nav>
  </div>
</footer>
</body>
</html>
`;
}

/** A page's language and link style: the visitor's, or what a sent form's hidden field said. */
export type PageView = Pick<SiteState, 'lang' | 'langInLinks'>;

/** A page's own part; the layout around it is the same for every page of the site. */
export interface PageContent {
  title: string;
  main: SafeHtml;
}

/**
 * Sends a page of the website in the layout: every server-rendered page (the site's own, the contact
 * form, the newsletter, error pages) goes out this way. `site.lang` is the page's language, which a
 * form post may have set from its hidden field.
 */
export function sendSitePage(
  reply: FastifyReply,
  site: SiteState,
  path: string,
  content: PageContent,
  status = 200,
): FastifyReply {
  const document = renderPage({
    lang: site.lang,
    langInLinks: site.langInLinks,
    consent: site.consent,
    path,
    ...content,
  });
  return sendPage(reply, site, document, status);
}
