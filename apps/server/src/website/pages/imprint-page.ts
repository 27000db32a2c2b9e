import type { OperatorDetails } from '../../config/config.js';
import { html } from '../html.js';
import type { PageContent } from '../layout.js';
import type { SiteState } from '../site-state.js';

const T = {
  title: { en: 'Imprint', de: 'Impressum' },
  provider: { en: 'Service provider', de: 'Anbieter' },
  contact: { en: 'Contact', de: 'Kontakt' },
  email: { en: 'E-mail', de: 'E-Mail' },
  phone: { en: 'Phone', de: 'Telefon' },
  representative: { en: 'Represented by', de: 'Vertreten durch' },
  register: { en: 'Commercial register', de: 'Handelsregister' },
  vat: { en: 'VAT ID', de: 'USt-IdNr.' },
  dispute: {
    en: 'We are neither obliged nor willing to take part in dispute resolution before a consumer arbitration board.',
    de: 'Wir sind nicht verpflichtet und nicht bereit, an Streitbeilegungsverfahren vor einer Verbraucherschlichtungsstelle teilzunehmen.',
  },
};

export function imprintPage(site: SiteState, operator: OperatorDetails): PageContent {
  const { lang } = site;
  const main = html`<div class="wrap narrow">
  <h1>${T.title[lang]}</h1>
  <h2>${T.provider[lang]}</h2>
  <address>${operator.company}<br>${operator.addressLines.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</address>
  <h2>${T.contact[lang]}</h2>
  <dl class="facts">
    <dt>${T.email[lang]}</dt><dd><a href="mailto:${operator.email}">${operator.email}</a></dd>
    ${operator.phone ? html`<dt>${T.phone[lang]}</dt><dd>${operator.phone}</dd>` : ''}
    ${operator.representative ? html`<dt>${T.representative[lang]}</dt><dd>${operator.representative}</dd>` : ''}
    ${operator.register ? html`<dt>${T.register[lang]}</dt><dd>${operator.register}</dd>` : ''}
    ${operator.vatId ? html`<dt>${T.vat[lang]}</dt><dd>${operator.vatId}</dd>` : ''}
  </dl>
  <p>${T.dispute[lang]}</p>
</div>`;
  return { title: T.title[lang], main };
}
