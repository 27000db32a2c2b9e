import { formatPrice, plans } from '../../billing/plans.js';
import { html } from '../html.js';
import type { PageContent } from '../layout.js';
import { type SiteState, siteHref } from '../site-state.js';

const T = {
  title: { en: 'Pricing', de: 'Preise' },
  lead: {
    en: 'Pay per user for the modules you need, monthly or yearly. Every plan starts with a free trial; no payment details needed.',
    de: 'Sie zahlen pro Benutzer für die Module, die Sie brauchen, monatlich oder jährlich. Jeder Plan beginnt mit einer kostenlosen Testphase, ganz ohne Zahlungsdaten.',
  },
  perMonth: { en: 'per user and month, plus VAT', de: 'pro Benutzer und Monat, zzgl. USt.' },
  perYear: {
    en: 'or {price} per user and year, plus VAT',
    de: 'oder {price} pro Benutzer und Jahr, zzgl. USt.',
  },
  trial: {
    en: 'Free for {days} days with up to {seats} users; the trial ends by itself.',
    de: '{days} Tage kostenlos mit bis zu {seats} Benutzern; die Testphase endet von selbst.',
  },
  startTrial: { en: 'Start free trial', de: 'Kostenlos testen' },
  startTrialOf: { en: 'Start free trial of {plan}', de: '{plan} kostenlos testen' },
  popular: { en: 'Best value', de: 'Bestes Angebot' },
  questions: {
    en: 'Larger organisation or questions about licensing?',
    de: 'Größere Organisation oder Fragen zur Lizenzierung?',
  },
  contact: { en: 'Contact us', de: 'Kontaktieren Sie uns' },
};

/** The plans from the one plan table (billing/plans.ts), each with the way into its free trial. */
export function pricingPage(site: SiteState): PageContent {
  const { lang } = site;
  const cards = plans.map((plan) => {
    const trialNote = T.trial[lang]
      .replace('{days}', String(plan.trial.days))
      .replace('{seats}', String(plan.trial.seats));
    return html`<li class="card${plan.id === 'suite' ? ' highlight' : ''}" aria-labelledby="plan-${plan.id}">
      ${plan.id === 'suite' ? html`<p class="tag">${T.popular[lang]}</p>` : ''}
      <h2 id="plan-${plan.id}">${plan.name[lang]}</h2>
      <p class="price">${formatPrice(plan.pricePerSeatMonthCents, lang)}</p>
      <p class="per">${T.perMonth[lang]}</p>
      <p class="per">${T.perYear[lang].replace('{price}', formatPrice(plan.pricePerSeatYearCents, lang))}</p>
      <p>${plan.summary[lang]}</p>
      <ul>${plan.features[lang].map((feature) => html`<li>${feature}</li>`)}</ul>
      <p class="per">${trialNote}</p>
      <p><a class="button button-primary" href="${siteHref(site, `/register?plan=${plan.id}`)}" aria-label="${T.startTrialOf[lang].replace('{plan}', plan.name[lang])}">${T.startTrial[lang]}</a></p>
    </li>`;
  });
  const main = html`<div class="wrap">
  <h1>${T.title[lang]}</h1>
  <p class="narrow">${T.lead[lang]}</p>
  <ul class="cards">${cards}</ul>
  <p>${T.questions[lang]} <a href="${siteHref(site, '/contact')}">${T.contact[lang]}</a></p>
</div>`;
  return { title: T.title[lang], main };
}
