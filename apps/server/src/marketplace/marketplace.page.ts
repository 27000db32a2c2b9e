import { formatPrice, type Plan } from '../billing/plans.js';
import { html, type Localised, type PageContent, type PageView, siteHref } from '../website/layout.js';

export const TEXT = {
  landingTitle: { en: 'Activate Mailissa', de: 'Mailissa aktivieren' },
  landingIntro: {
    en: 'Thank you for buying Mailissa in the Microsoft commercial marketplace. Activate it for your organisation here.',
    de: 'Vielen Dank für Ihren Kauf von Mailissa im Microsoft Commercial Marketplace. Aktivieren Sie es hier für Ihre Organisation.',
  },
  subscription: { en: 'Subscription', de: 'Abonnement' },
  plan: { en: 'Plan', de: 'Plan' },
  users: { en: 'Users', de: 'Benutzer' },
  term: { en: 'Term', de: 'Laufzeit' },
  monthly: { en: 'Monthly', de: 'Monatlich' },
  yearly: { en: 'Yearly', de: 'Jährlich' },
  listPrice: { en: 'List price here', de: 'Listenpreis hier' },
  perUser: { en: '{price} per user and month', de: '{price} pro Benutzer und Monat' },
  billedByMicrosoft: {
    en: 'Microsoft bills this subscription with your other Microsoft purchases; you get no invoices from us for it.',
    de: 'Microsoft rechnet dieses Abonnement mit Ihren anderen Microsoft-Käufen ab; Sie erhalten dafür keine Rechnungen von uns.',
  },
  signInNote: {
    en: 'Sign in with a Microsoft 365 account of the organisation the subscription was bought for. Licences then go to the first users who sign in, up to the number of users bought.',
    de: 'Melden Sie sich mit einem Microsoft-365-Konto der Organisation an, für die das Abonnement gekauft wurde. Lizenzen erhalten dann die ersten Benutzer, die sich anmelden, bis zur gekauften Anzahl.',
  },
  activate: { en: 'Sign in with Microsoft and activate', de: 'Mit Microsoft anmelden und aktivieren' },
  alreadyActiveTitle: { en: 'Already active', de: 'Bereits aktiv' },
  alreadyActive: {
    en: 'This subscription is active. Your organisation’s administrators manage users and licences in the admin portal.',
    de: 'Dieses Abonnement ist aktiv. Die Administratoren Ihrer Organisation verwalten Benutzer und Lizenzen im Admin-Portal.',
  },
  endedTitle: { en: 'Subscription not active', de: 'Abonnement nicht aktiv' },
  ended: {
    en: 'This subscription is suspended or cancelled in the marketplace. Manage it in the Microsoft 365 admin center or the Azure portal.',
    de: 'Dieses Abonnement ist im Marketplace ausgesetzt oder gekündigt. Verwalten Sie es im Microsoft 365 Admin Center oder im Azure-Portal.',
  },
  activeTitle: { en: 'Mailissa is active', de: 'Mailissa ist aktiv' },
  activeText: {
    en: 'Your organisation now has Mailissa {plan} for {users} users until {date}; it renews with your marketplace subscription.',
    de: 'Ihre Organisation hat jetzt Mailissa {plan} für {users} Benutzer bis zum {date}; es verlängert sich mit Ihrem Marketplace-Abonnement.',
  },
  consentPending: {
    en: 'Transfers start once a global administrator of your organisation has granted Mailissa admin consent.',
    de: 'Übertragungen beginnen, sobald ein globaler Administrator Ihrer Organisation Mailissa die Administratorzustimmung erteilt hat.',
  },
  grantConsent: { en: 'Grant admin consent', de: 'Administratorzustimmung erteilen' },
  openPortal: { en: 'Open the admin portal', de: 'Admin-Portal öffnen' },
  consentGrantedTitle: { en: 'Admin consent granted', de: 'Administratorzustimmung erteilt' },
  consentGranted: {
    en: 'Thank you. Mailissa may now transfer mail for your organisation.',
    de: 'Vielen Dank. Mailissa darf jetzt E-Mails für Ihre Organisation übertragen.',
  },
  consentDeclinedTitle: { en: 'No admin consent', de: 'Keine Administratorzustimmung' },
  consentDeclined: {
    en: 'Consent was not granted (or not by a global administrator of the organisation that activated). You can try again from this page later.',
    de: 'Die Zustimmung wurde nicht erteilt (oder nicht von einem globalen Administrator der Organisation, die aktiviert hat). Sie können es später auf dieser Seite erneut versuchen.',
  },
  signInCancelledTitle: { en: 'Not activated', de: 'Nicht aktiviert' },
  signInCancelled: {
    en: 'The sign-in with Microsoft did not complete, so nothing was activated. Open the subscription in the Microsoft 365 admin center or the Azure portal and choose “Configure account” to try again.',
    de: 'Die Anmeldung bei Microsoft wurde nicht abgeschlossen, daher wurde nichts aktiviert. Öffnen Sie das Abonnement im Microsoft 365 Admin Center oder im Azure-Portal und wählen Sie „Konto konfigurieren“, um es erneut zu versuchen.',
  },
  invalidTitle: { en: 'Purchase not found', de: 'Kauf nicht gefunden' },
} satisfies Record<string, Localised>;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_match, key: string) => values[key] ?? '');
}

export function formatDay(date: Date, lang: 'en' | 'de'): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(date);
}

/** What the buyer bought, as the marketplace says, in our plan table's words. */
export function landingPage(
  site: PageView,
  input: {
    subscriptionName: string;
    plan: Plan;
    users: number;
    interval: 'month' | 'year';
    purchase: string;
  },
): PageContent {
  const { lang } = site;
  const price =
    input.interval === 'year'
      ? Math.round(input.plan.pricePerSeatYearCents / 12)
      : input.plan.pricePerSeatMonthCents;
  return {
    title: TEXT.landingTitle[lang],
    main: html`<section class="wrap page narrow" aria-labelledby="marketplace-title">
  <h1 id="marketplace-title">${TEXT.landingTitle[lang]}</h1>
  <p>${TEXT.landingIntro[lang]}</p>
  <dl class="facts">
    <dt>${TEXT.subscription[lang]}</dt><dd>${input.subscriptionName}</dd>
    <dt>${TEXT.plan[lang]}</dt><dd data-testid="marketplace-plan">${input.plan.name[lang]} — ${input.plan.summary[lang]}</dd>
    <dt>${TEXT.users[lang]}</dt><dd data-testid="marketplace-users">${String(input.users)}</dd>
    <dt>${TEXT.term[lang]}</dt><dd>${(input.interval === 'year' ? TEXT.yearly : TEXT.monthly)[lang]}</dd>
    <dt>${TEXT.listPrice[lang]}</dt><dd>${fill(TEXT.perUser[lang], { price: formatPrice(price, lang) })}</dd>
  </dl>
  <ul>${input.plan.features[lang].map((feature) => html`<li>${feature}</li>`)}</ul>
  <p>${TEXT.billedByMicrosoft[lang]}</p>
  <p>${TEXT.signInNote[lang]}</p>
  <form class="form" method="post" action="/marketplace/landing">
    <input type="hidden" name="purchase" value="${input.purchase}">
    <input type="hidden" name="lang" value="${lang}">
    <button type="submit" class="button button-primary">${TEXT.activate[lang]}</button>
  </form>
</section>`,
  };
}

/** The subscription runs: what the organisation has, and admin consent if still missing. */
export function activePage(
  site: PageView,
  input: { plan: Plan; users: number; periodEnd: Date; consent: string | null },
): PageContent {
  const { lang } = site;
  return {
    title: TEXT.activeTitle[lang],
    main: html`<section class="wrap page narrow" aria-labelledby="marketplace-title">
  <h1 id="marketplace-title">${TEXT.activeTitle[lang]}</h1>
  <p class="notice" role="status" data-testid="marketplace-active">${fill(TEXT.activeText[lang], {
    plan: input.plan.name[lang],
    users: String(input.users),
    date: formatDay(new Date(input.periodEnd.getTime() - 86_400_000), lang),
  })}</p>
  ${
    input.consent
      ? html`<p>${TEXT.consentPending[lang]}</p>
  <form class="form" method="post" action="/marketplace/consent">
    <input type="hidden" name="grant" value="${input.consent}">
    <input type="hidden" name="lang" value="${lang}">
    <button type="submit" class="button button-primary">${TEXT.grantConsent[lang]}</button>
  </form>`
      : ''
  }
  <p><a href="/portal/">${TEXT.openPortal[lang]}</a></p>
  <p><a href="${siteHref(site, '/')}">Mailissa</a></p>
</section>`,
  };
}
