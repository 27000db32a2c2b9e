import { html, type SafeHtml } from '../website/layout.js';
import type { BillingOverview } from './get-billing-overview.js';
import { formatPrice, plans } from './plans.js';
import { GERMAN_VAT_PERCENT } from './tax/vat-treatment.js';

type Lang = 'en' | 'de';
const T = {
  buyTitle: { en: 'Buy a subscription', de: 'Abonnement kaufen' },
  buyIntro: {
    en: 'Choose the plan, the term and the number of users. You pay by card or SEPA Direct Debit on our payment provider’s page; buying ends a running trial and starts the paid term at once.',
    de: 'Wählen Sie Plan, Laufzeit und Anzahl der Benutzer. Sie zahlen per Karte oder SEPA-Lastschrift auf der Seite unseres Zahlungsanbieters; der Kauf beendet eine laufende Testphase und startet die bezahlte Laufzeit sofort.',
  },
  plan: { en: 'Plan', de: 'Plan' },
  term: { en: 'Term', de: 'Laufzeit' },
  monthly: { en: 'Monthly', de: 'Monatlich' },
  yearly: { en: 'Yearly (two months free)', de: 'Jährlich (zwei Monate gratis)' },
  seats: { en: 'Users', de: 'Benutzer' },
  price: {
    en: '{month} per user and month, or {year} per user and year — net, plus {vat} % German VAT ({monthGross} / {yearGross} gross) unless reverse charge applies',
    de: '{month} pro Benutzer und Monat oder {year} pro Benutzer und Jahr – netto, zzgl. {vat} % USt. ({monthGross} / {yearGross} brutto), sofern nicht das Reverse-Charge-Verfahren gilt',
  },
  pay: { en: 'Continue to payment', de: 'Weiter zur Zahlung' },
  payment: { en: 'Payment', de: 'Zahlung' },
  payByProvider: {
    en: 'Card or SEPA Direct Debit, on our payment provider’s page',
    de: 'Karte oder SEPA-Lastschrift, auf der Seite unseres Zahlungsanbieters',
  },
  payByTransfer: {
    en: 'On invoice by bank transfer, due {days} days after the invoice (the subscription starts at once)',
    de: 'Auf Rechnung per Überweisung, fällig {days} Tage nach Rechnungsdatum (das Abonnement beginnt sofort)',
  },
  paidByTransfer: { en: 'On invoice, by bank transfer', de: 'Auf Rechnung, per Überweisung' },
  paidByProvider: { en: 'Card or SEPA Direct Debit', de: 'Karte oder SEPA-Lastschrift' },
  overdueTransfer: {
    en: 'An invoice is overdue since {date}. Please transfer the amount; access is suspended if it stays unpaid.',
    de: 'Eine Rechnung ist seit {date} überfällig. Bitte überweisen Sie den Betrag; bleibt sie unbezahlt, wird der Zugang gesperrt.',
  },
  openDue: { en: 'Open — due {date}', de: 'Offen – fällig am {date}' },
  transferTitle: { en: 'Bank details for your transfer', de: 'Bankverbindung für Ihre Überweisung' },
  transferNote: {
    en: 'Please give the invoice number as the reference. The invoice shows as paid here once we have received the transfer.',
    de: 'Bitte geben Sie die Rechnungsnummer als Verwendungszweck an. Die Rechnung erscheint hier als bezahlt, sobald die Überweisung bei uns eingegangen ist.',
  },
  accountHolder: { en: 'Account holder', de: 'Kontoinhaber' },
  bank: { en: 'Bank', de: 'Bank' },
  paidTitle: { en: 'Your paid subscription', de: 'Ihr bezahltes Abonnement' },
  termValue: { month: { en: 'Monthly', de: 'Monatlich' }, year: { en: 'Yearly', de: 'Jährlich' } },
  ends: { en: 'Ends on {date} (cancelled).', de: 'Endet am {date} (gekündigt).' },
  renews: { en: 'Renews on {date}.', de: 'Verlängert sich am {date}.' },
  overdue: {
    en: 'A payment is overdue since {date}. We retry automatically; please make sure your payment method works.',
    de: 'Eine Zahlung ist seit {date} überfällig. Wir versuchen es automatisch erneut; bitte stellen Sie sicher, dass Ihre Zahlungsart funktioniert.',
  },
  changeSeats: { en: 'Change the number of users', de: 'Anzahl der Benutzer ändern' },
  changeSeatsNote: {
    en: 'The difference for the rest of the term is prorated on your next invoice.',
    de: 'Die Differenz für den Rest der Laufzeit wird anteilig mit der nächsten Rechnung verrechnet.',
  },
  save: { en: 'Change users', de: 'Benutzer ändern' },
  switchTitle: { en: 'Switch plan or term', de: 'Plan oder Laufzeit wechseln' },
  switchNote: {
    en: 'Same number of users. Within the term, the unused time of the current plan is credited and the rest of the new one charged on your next invoice; switching the term starts a new term today, invoiced at once with the unused time credited.',
    de: 'Gleiche Anzahl Benutzer. Innerhalb der Laufzeit wird die ungenutzte Zeit des bisherigen Plans gutgeschrieben und der Rest des neuen mit der nächsten Rechnung berechnet; ein Wechsel der Laufzeit beginnt heute eine neue Laufzeit, sofort berechnet, die ungenutzte Zeit gutgeschrieben.',
  },
  switchButton: { en: 'Switch', de: 'Wechseln' },
  paymentMethod: { en: 'Payment method', de: 'Zahlungsart' },
  paymentMethodNote: {
    en: 'Enter a new card or IBAN on our payment provider’s page; the next payment, and any retry of an overdue one, uses it.',
    de: 'Geben Sie auf der Seite unseres Zahlungsanbieters eine neue Karte oder IBAN an; die nächste Zahlung und jeder erneute Versuch einer überfälligen Zahlung verwenden sie.',
  },
  paymentMethodButton: { en: 'Change payment method', de: 'Zahlungsart ändern' },
  cancel: { en: 'Cancel at the end of the term', de: 'Zum Ende der Laufzeit kündigen' },
  resume: { en: 'Keep the subscription', de: 'Abonnement fortsetzen' },
  invoicesTitle: { en: 'Invoices', de: 'Rechnungen' },
  noInvoices: { en: 'No invoices yet.', de: 'Noch keine Rechnungen.' },
  number: { en: 'Number', de: 'Nummer' },
  date: { en: 'Date', de: 'Datum' },
  amount: { en: 'Amount (gross)', de: 'Betrag (brutto)' },
  status: { en: 'Status', de: 'Status' },
  paid: { en: 'Paid', de: 'Bezahlt' },
  open: { en: 'Open', de: 'Offen' },
  download: { en: 'PDF', de: 'PDF' },
  creditNote: { en: 'Credit note', de: 'Gutschrift' },
  corrects: { en: 'on invoice {number}', de: 'zu Rechnung {number}' },
  refunded: { en: 'Refunded', de: 'Erstattet' },
} as const;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
const day = (value: Date, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Berlin',
  }).format(value);
const gross = (cents: number) => Math.round((cents * (100 + GERMAN_VAT_PERCENT)) / 100);

function hidden(csrf: string, lang: Lang): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="lang" value="${lang}">`;
}

/** Where to transfer to, while an invoice paid by bank transfer is open. */
function transferDetails(lang: Lang, overview: BillingOverview): SafeHtml | '' {
  const bank = overview.bankTransfer;
  if (!bank || !overview.invoices.some((invoice) => invoice.dueAt && !invoice.paid)) return '';
  return html`<h3 id="transfer-title">${T.transferTitle[lang]}</h3>
  <dl class="facts" aria-labelledby="transfer-title" data-testid="bank-details">
    <dt>${T.accountHolder[lang]}</dt><dd>${bank.accountHolder}</dd>
    <dt>IBAN</dt><dd>${bank.iban.replace(/(.{4})/g, '$1 ').trim()}</dd>
    ${bank.bic ? html`<dt>BIC</dt><dd>${bank.bic}</dd>` : ''}
    ${bank.bankName ? html`<dt>${T.bank[lang]}</dt><dd>${bank.bankName}</dd>` : ''}
  </dl>
  <p>${T.transferNote[lang]}</p>`;
}

/** Buying, the paid subscription (seats, cancellation) and the invoices, on the account page. */
export function billingSection(lang: Lang, overview: BillingOverview, csrf: string): SafeHtml {
  const buy = overview.canBuy
    ? html`<section aria-labelledby="buy-title"><h2 id="buy-title">${T.buyTitle[lang]}</h2>
  <p>${T.buyIntro[lang]}</p>
  <form class="form" method="post" action="/register/checkout">
    ${hidden(csrf, lang)}
    <fieldset><legend>${T.plan[lang]}</legend>
    ${plans.map(
      (plan) => html`<div class="choice">
      <input type="radio" id="buy-plan-${plan.id}" name="plan" value="${plan.id}"${plan.id === 'suite' ? html` checked` : ''}>
      <label for="buy-plan-${plan.id}">${plan.name[lang]} — ${fill(T.price[lang], {
        month: formatPrice(plan.pricePerSeatMonthCents, lang),
        year: formatPrice(plan.pricePerSeatYearCents, lang),
        vat: String(GERMAN_VAT_PERCENT),
        monthGross: formatPrice(gross(plan.pricePerSeatMonthCents), lang),
        yearGross: formatPrice(gross(plan.pricePerSeatYearCents), lang),
      })}</label></div>`,
    )}
    </fieldset>
    <fieldset><legend>${T.term[lang]}</legend>
      <div class="choice"><input type="radio" id="buy-month" name="interval" value="month" checked><label for="buy-month">${T.monthly[lang]}</label></div>
      <div class="choice"><input type="radio" id="buy-year" name="interval" value="year"><label for="buy-year">${T.yearly[lang]}</label></div>
    </fieldset>
    <div class="field"><label for="buy-seats">${T.seats[lang]}</label>
      <input id="buy-seats" name="seats" type="number" min="1" max="1000" value="5" required></div>
    ${
      overview.bankTransfer
        ? html`<fieldset><legend>${T.payment[lang]}</legend>
      <div class="choice"><input type="radio" id="buy-pay-provider" name="payment" value="provider_page" checked><label for="buy-pay-provider">${T.payByProvider[lang]}</label></div>
      <div class="choice"><input type="radio" id="buy-pay-transfer" name="payment" value="bank_transfer"><label for="buy-pay-transfer">${fill(T.payByTransfer[lang], { days: String(overview.bankTransfer.days) })}</label></div>
    </fieldset>`
        : ''
    }
    <button type="submit" class="button button-primary">${T.pay[lang]}</button>
  </form></section>`
    : '';
  const paid = overview.paid;
  const byTransfer = paid?.collectionMethod === 'send_invoice';
  const subscription = paid
    ? html`<section aria-labelledby="paid-title"><h2 id="paid-title">${T.paidTitle[lang]}</h2>
  <dl class="facts">
    <dt>${T.plan[lang]}</dt><dd>${plans.find((plan) => plan.id === paid.plan)?.name[lang] ?? paid.plan}</dd>
    <dt>${T.term[lang]}</dt><dd>${T.termValue[paid.interval][lang]}</dd>
    <dt>${T.seats[lang]}</dt><dd data-testid="paid-seats">${String(paid.seats)}</dd>
    <dt>${T.payment[lang]}</dt><dd data-testid="paid-by">${(byTransfer ? T.paidByTransfer : T.paidByProvider)[lang]}</dd>
  </dl>
  <p>${fill((paid.cancelAtPeriodEnd ? T.ends : T.renews)[lang], { date: day(paid.periodEnd, lang) })}</p>
  ${paid.pastDueSince ? html`<p class="form-error" role="alert">${fill((byTransfer ? T.overdueTransfer : T.overdue)[lang], { date: day(paid.pastDueSince, lang) })}</p>` : ''}
  <form class="form" method="post" action="/register/seats">
    ${hidden(csrf, lang)}
    <div class="field"><label for="paid-seats-input">${T.changeSeats[lang]}</label>
      <input id="paid-seats-input" name="seats" type="number" min="1" max="1000" value="${String(paid.seats)}" required>
      <p class="form-note">${T.changeSeatsNote[lang]}</p></div>
    <button type="submit" class="button">${T.save[lang]}</button>
  </form>
  <h3 id="switch-title">${T.switchTitle[lang]}</h3>
  <form class="form" method="post" action="/register/plan" aria-labelledby="switch-title">
    ${hidden(csrf, lang)}
    <fieldset><legend>${T.plan[lang]}</legend>
    ${plans.map(
      (plan) => html`<div class="choice">
      <input type="radio" id="switch-plan-${plan.id}" name="plan" value="${plan.id}"${plan.id === paid.plan ? html` checked` : ''}>
      <label for="switch-plan-${plan.id}">${plan.name[lang]} — ${formatPrice(plan.pricePerSeatMonthCents, lang)} / ${formatPrice(plan.pricePerSeatYearCents, lang)}</label></div>`,
    )}
    </fieldset>
    <fieldset><legend>${T.term[lang]}</legend>
      <div class="choice"><input type="radio" id="switch-month" name="interval" value="month"${paid.interval === 'month' ? html` checked` : ''}><label for="switch-month">${T.monthly[lang]}</label></div>
      <div class="choice"><input type="radio" id="switch-year" name="interval" value="year"${paid.interval === 'year' ? html` checked` : ''}><label for="switch-year">${T.yearly[lang]}</label></div>
    </fieldset>
    <p class="form-note">${T.switchNote[lang]}</p>
    <button type="submit" class="button">${T.switchButton[lang]}</button>
  </form>
  ${
    byTransfer
      ? ''
      : html`<form class="form" method="post" action="/register/payment-method">
    ${hidden(csrf, lang)}
    <p><strong>${T.paymentMethod[lang]}</strong> — ${T.paymentMethodNote[lang]}</p>
    <button type="submit" class="button">${T.paymentMethodButton[lang]}</button>
  </form>`
  }
  <form class="form-inline" method="post" action="${paid.cancelAtPeriodEnd ? '/register/subscription/resume' : '/register/subscription/cancel'}">
    ${hidden(csrf, lang)}
    <button type="submit" class="button secondary">${paid.cancelAtPeriodEnd ? T.resume[lang] : T.cancel[lang]}</button>
  </form></section>`
    : '';
  const invoices =
    overview.invoices.length > 0 || paid
      ? html`<section aria-labelledby="invoices-title"><h2 id="invoices-title">${T.invoicesTitle[lang]}</h2>
  ${
    overview.invoices.length === 0
      ? html`<p>${T.noInvoices[lang]}</p>`
      : html`<table class="table"><thead><tr><th scope="col">${T.number[lang]}</th><th scope="col">${T.date[lang]}</th><th scope="col">${T.amount[lang]}</th><th scope="col">${T.status[lang]}</th><th scope="col"></th></tr></thead>
  <tbody>${overview.invoices.map(
    (
      invoice,
    ) => html`<tr><td>${invoice.kind === 'credit_note' ? `${T.creditNote[lang]} ` : ''}${invoice.number}${
      invoice.correctsNumber ? ` (${fill(T.corrects[lang], { number: invoice.correctsNumber })})` : ''
    }</td><td>${day(invoice.issuedAt, lang)}</td>
      <td>${formatPrice(invoice.kind === 'credit_note' ? -invoice.grossCents : invoice.grossCents, lang)}</td><td>${
        invoice.paid
          ? invoice.kind === 'credit_note'
            ? T.refunded[lang]
            : T.paid[lang]
          : invoice.dueAt
            ? fill(T.openDue[lang], { date: day(invoice.dueAt, lang) })
            : T.open[lang]
      }</td>
      <td><a href="/register/invoices/${invoice.id}.pdf" download>${T.download[lang]} ${invoice.number}</a></td></tr>`,
  )}</tbody></table>`
  }${transferDetails(lang, overview)}</section>`
      : '';
  return html`${buy}${subscription}${invoices}`;
}
