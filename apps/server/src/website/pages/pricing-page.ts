import { formatPrice, plans } from '../../billing/plans.js';
import { html } from '../html.js';
import type { PageContent } from '../layout.js';
import { type SiteState, siteHref } from '../site-state.js';

const T = {
  title: { en: 'Pricing', de: 'Preise' },
  lead: {
    en: 'Pay per user and month for the modules you need. Start with a free trial; no payment details needed.',
    de: 'Sie zahlen pro Benutzer und Monat für die Module, die Sie brauchen. Beginnen Sie mit einer kostenlosen Testphase, ganz ohne Zahlungsdaten.',
  },
  perSeat: { en: 'per user and month, plus VAT', de: 'pro Benutzer und Monat, zzgl. USt.' },
  free: { en: 'free for {days} days', de: '{days} Tage kostenlos' },
  upTo: { en: 'up to {n} users', de: 'bis zu {n} Benutzer' },
  popular: { en: 'Best value', de: 'Bestes Angebot' },
  questions: {
    en: 'Larger organisation or questions about licensing?',
    de: 'Größere Organisation oder Fragen zur Lizenzierung?',
  },
  contact: { en: 'Contact us', de: 'Kontaktieren Sie uns' },
};

export function pricingPage(site: SiteState): PageContent {
  const { lang } = site;
  const cards = plans.map((plan) => {
    const price = formatPrice(plan.pricePerSeatMonthCents, lang);
    const note =
      plan.trialDays !== null
        ? `${T.free[lang].replace('{days}', String(plan.trialDays))}${plan.maxSeats ? `, ${T.upTo[lang].replace('{n}', String(plan.maxSeats))}` : ''}`
        : T.perSeat[lang];
    return html`<li class="card${plan.id === 'suite' ? ' highlight' : ''}" aria-labelledby="plan-${plan.id}">
      ${plan.id === 'suite' ? html`<p class="tag">${T.popular[lang]}</p>` : ''}
      <h2 id="plan-${plan.id}">${plan.name[lang]}</h2>
      <p class="price">${price}</p>
      <p class="per">${note}</p>
      <p>${plan.summary[lang]}</p>
      <ul>${plan.features[lang].map((feature) => html`<li>${feature}</li>`)}</ul>
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
