import { EMULATOR_STYLESHEET_PATH, html, type SafeHtml } from '../html.js';
import type { CheckoutLineItem, CheckoutSession, PaymentMethod, PortalSession } from './stripe-store.js';

type Lang = 'en' | 'de';
const T = {
  title: { en: 'Payment (Stripe emulator)', de: 'Zahlung (Stripe-Emulator)' },
  banner: {
    en: 'Demo: no real payment. Stripe’s test numbers work as documented: card 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined; IBAN DE89 3704 0044 0532 0130 00 succeeds, DE62 3704 0044 0532 0130 01 fails when it is debited.',
    de: 'Demo: keine echte Zahlung. Die Testnummern von Stripe wirken wie dokumentiert: Karte 4242 4242 4242 4242 gelingt, 4000 0000 0000 0002 wird abgelehnt; IBAN DE89 3704 0044 0532 0130 00 gelingt, DE62 3704 0044 0532 0130 01 scheitert beim Einzug.',
  },
  subscribe: { en: 'Subscribe', de: 'Abonnieren' },
  perInterval: { month: { en: 'per month', de: 'pro Monat' }, year: { en: 'per year', de: 'pro Jahr' } },
  total: { en: 'Total due today (incl. tax)', de: 'Heute fällig (inkl. Steuer)' },
  method: { en: 'Payment method', de: 'Zahlungsart' },
  card: { en: 'Card', de: 'Karte' },
  sepa: { en: 'SEPA Direct Debit', de: 'SEPA-Lastschrift' },
  cardNumber: { en: 'Card number', de: 'Kartennummer' },
  iban: { en: 'IBAN', de: 'IBAN' },
  mandate: {
    en: 'By providing your IBAN you authorise the seller and Stripe to debit your account (SEPA mandate).',
    de: 'Mit Angabe Ihrer IBAN ermächtigen Sie den Verkäufer und Stripe, Ihr Konto zu belasten (SEPA-Mandat).',
  },
  back: { en: 'Back', de: 'Zurück' },
  portalTitle: { en: 'Payment method (Stripe emulator)', de: 'Zahlungsart (Stripe-Emulator)' },
  current: { en: 'Current payment method', de: 'Aktuelle Zahlungsart' },
  none: { en: 'none', de: 'keine' },
  save: { en: 'Save payment method', de: 'Zahlungsart speichern' },
  closed: {
    en: 'This checkout is no longer available.',
    de: 'Dieser Bezahlvorgang ist nicht mehr verfügbar.',
  },
} as const;

function langOf(locale: string | null): Lang {
  return locale?.startsWith('de') ? 'de' : 'en';
}

function money(cents: number, currency: string, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-IE', {
    style: 'currency',
    currency: currency.toUpperCase(),
  }).format(cents / 100);
}

function page(lang: Lang, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${T.title[lang]}</title><link rel="stylesheet" href="${EMULATOR_STYLESHEET_PATH}"></head>
<body><main>${body}</main></body></html>`.toString();
}

export const checkoutPage = {
  form(session: CheckoutSession, items: CheckoutLineItem[], error: string | null): string {
    const lang = langOf(session.locale);
    const rows = items.map(
      (item) =>
        html`<li>${item.quantity} × ${item.price.metadata.product_name ?? item.price.product}: ${money(item.price.unit_amount * item.quantity, item.price.currency, lang)} ${T.perInterval[item.price.recurring.interval][lang]}</li>`,
    );
    return page(
      lang,
      html`<h1>${T.title[lang]}</h1>
<p class="banner">${T.banner[lang]}</p>
<ul>${rows}</ul>
<p><strong>${T.total[lang]}: <span data-testid="checkout-total">${money(session.amount_total, session.currency, lang)}</span></strong></p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${session.url ?? ''}">
<fieldset><legend>${T.method[lang]}</legend>
<label><input type="radio" name="method" value="card" checked> ${T.card[lang]}</label>
<label><input type="radio" name="method" value="sepa_debit"> ${T.sepa[lang]}</label></fieldset>
<p><label>${T.cardNumber[lang]}<br><input name="card_number" inputmode="numeric" autocomplete="cc-number" size="24"></label></p>
<p><label>${T.iban[lang]}<br><input name="iban" autocomplete="off" size="30"></label></p>
<p><small>${T.mandate[lang]}</small></p>
<p><button type="submit">${T.subscribe[lang]}</button></p>
</form>
${session.cancel_url ? html`<p><a href="${session.cancel_url}">${T.back[lang]}</a></p>` : ''}`,
    );
  },
  closed(locale: string | null): string {
    const lang = langOf(locale);
    return page(lang, html`<h1>${T.title[lang]}</h1><p class="error">${T.closed[lang]}</p>`);
  },
};

function describe(method: PaymentMethod, lang: Lang): string {
  return method.card
    ? `${method.card.brand} •••• ${method.card.last4}`
    : `${T.sepa[lang]} •••• ${method.sepa_debit?.last4 ?? ''}`;
}

/** The Customer Portal's "update payment method" page: the same test numbers as the checkout. */
export function portalPage(
  session: PortalSession,
  current: PaymentMethod | null,
  error: string | null,
): string {
  const lang = langOf(session.locale);
  return page(
    lang,
    html`<h1>${T.portalTitle[lang]}</h1>
<p class="banner">${T.banner[lang]}</p>
<p>${T.current[lang]}: <span data-testid="current-method">${current ? describe(current, lang) : T.none[lang]}</span></p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${session.url}">
<fieldset><legend>${T.method[lang]}</legend>
<label><input type="radio" name="method" value="card" checked> ${T.card[lang]}</label>
<label><input type="radio" name="method" value="sepa_debit"> ${T.sepa[lang]}</label></fieldset>
<p><label>${T.cardNumber[lang]}<br><input name="card_number" inputmode="numeric" autocomplete="cc-number" size="24"></label></p>
<p><label>${T.iban[lang]}<br><input name="iban" autocomplete="off" size="30"></label></p>
<p><small>${T.mandate[lang]}</small></p>
<p><button type="submit">${T.save[lang]}</button></p>
</form>
${session.return_url ? html`<p><a href="${session.return_url}">${T.back[lang]}</a></p>` : ''}`,
  );
}
