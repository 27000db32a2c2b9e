import { html, type PageLanguage, page } from '../html.js';
import { type OfferPlan, SAAS_ACTIONS, type SaasSubscription } from './marketplace-store.js';

const TEXT = {
  title: { en: 'Marketplace emulator', de: 'Marketplace-Emulator' },
  banner: {
    en: 'Demo only: stands in for AppSource and the Microsoft 365 admin center. Nothing is charged.',
    de: 'Nur Demo: steht für AppSource und das Microsoft 365 Admin Center. Es wird nichts berechnet.',
  },
  buy: { en: 'Buy Mailissa', de: 'Mailissa kaufen' },
  tenant: { en: 'Organisation (Microsoft tenant)', de: 'Organisation (Microsoft-Tenant)' },
  plan: { en: 'Plan', de: 'Plan' },
  quantity: { en: 'Users', de: 'Benutzer' },
  term: { en: 'Term', de: 'Laufzeit' },
  monthly: { en: 'Monthly', de: 'Monatlich' },
  yearly: { en: 'Yearly', de: 'Jährlich' },
  submitBuy: { en: 'Buy and configure account', de: 'Kaufen und Konto einrichten' },
  subscriptions: { en: 'Subscriptions', de: 'Abonnements' },
  none: { en: 'No purchases yet.', de: 'Noch keine Käufe.' },
  status: { en: 'Status', de: 'Status' },
  action: { en: 'Notification', de: 'Benachrichtigung' },
  newPlan: { en: 'New plan (ChangePlan)', de: 'Neuer Plan (ChangePlan)' },
  newQuantity: { en: 'New number of users (ChangeQuantity)', de: 'Neue Benutzerzahl (ChangeQuantity)' },
  send: { en: 'Send to the webhook', de: 'An den Webhook senden' },
  done: { en: 'Sent: ', de: 'Gesendet: ' },
  language: { en: 'Deutsch', de: 'English' },
} as const;

/** The demo's stand-in for buying in AppSource and managing the subscription in the admin center. */
export function marketplaceControlPage(input: {
  lang: PageLanguage;
  mountPath: string;
  tenants: Array<{ tenantId: string; displayName: string }>;
  plans: OfferPlan[];
  subscriptions: SaasSubscription[];
  done: string | null;
}): string {
  const { lang } = input;
  const t = (key: keyof typeof TEXT) => TEXT[key][lang];
  const other = lang === 'en' ? 'de' : 'en';
  const body = html`
<p class="banner">${t('banner')}</p>
<p><a href="${input.mountPath}/?lang=${other}" lang="${other}">${t('language')}</a></p>
<h1>${t('title')}</h1>
${input.done ? html`<p role="status">${t('done')}${input.done}</p>` : ''}
<h2>${t('buy')}</h2>
<form method="post" action="${input.mountPath}/buy">
  <input type="hidden" name="lang" value="${lang}">
  <p><label for="tenant">${t('tenant')}</label><br>
    <select id="tenant" name="tenantId">${input.tenants.map(
      (tenant) => html`<option value="${tenant.tenantId}">${tenant.displayName}</option>`,
    )}</select></p>
  <p><label for="plan">${t('plan')}</label><br>
    <select id="plan" name="planId">${input.plans.map(
      (plan) => html`<option value="${plan.planId}">${plan.displayName}</option>`,
    )}</select></p>
  <p><label for="quantity">${t('quantity')}</label><br>
    <input id="quantity" name="quantity" type="number" min="1" value="5" required></p>
  <fieldset><legend>${t('term')}</legend>
    <label><input type="radio" name="termUnit" value="P1M" checked> ${t('monthly')}</label>
    <label><input type="radio" name="termUnit" value="P1Y"> ${t('yearly')}</label>
  </fieldset>
  <p><button type="submit">${t('submitBuy')}</button></p>
</form>
<h2>${t('subscriptions')}</h2>
${
  input.subscriptions.length === 0
    ? html`<p>${t('none')}</p>`
    : input.subscriptions.map(
        (subscription) => html`<section aria-label="${subscription.name}">
  <h3>${subscription.name}</h3>
  <p><code>${subscription.id}</code><br>${t('plan')}: ${subscription.planId} · ${t('quantity')}: ${subscription.quantity} · ${t('status')}: ${subscription.saasSubscriptionStatus}</p>
  <form method="post" action="${input.mountPath}/subscriptions/${subscription.id}/notify">
    <input type="hidden" name="lang" value="${lang}">
    <label for="action-${subscription.id}">${t('action')}</label>
    <select id="action-${subscription.id}" name="action">${SAAS_ACTIONS.map(
      (action) => html`<option value="${action}">${action}</option>`,
    )}</select>
    <label for="plan-${subscription.id}">${t('newPlan')}</label>
    <select id="plan-${subscription.id}" name="planId"><option value=""></option>${input.plans.map(
      (plan) => html`<option value="${plan.planId}">${plan.displayName}</option>`,
    )}</select>
    <label for="quantity-${subscription.id}">${t('newQuantity')}</label>
    <input id="quantity-${subscription.id}" name="quantity" type="number" min="1">
    <button type="submit">${t('send')}</button>
  </form>
</section>`,
      )
}`;
  return page({ lang, title: t('title'), body: body.toString() });
}
