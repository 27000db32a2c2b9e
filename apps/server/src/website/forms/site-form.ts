import type { FastifyReply } from 'fastify';
import type { Config } from '../../config/config.js';
import type { Queryable } from '../../db/database.js';
import { reportAbuse } from '../../privacy/abuse-signal.js';
import { html, type SafeHtml } from '../html.js';
import { isLang, type Lang, type Localised } from '../i18n.js';
import type { SiteState } from '../site-state.js';
import { type FormBody, formValue } from './form-body.js';
import type { FormSigner } from './form-signing.js';
import { checkFormTiming, issueFormTimestamp } from './form-timing.js';
import { consumeRateLimit, type RateLimitRule } from './rate-limit.js';

/**
 * What the website's server-rendered forms (contact, newsletter sign-up) share: the signed timestamp
 * in a hidden field, the trap field, and the checks against bots that send a form back with a message.
 */

/** Texts every site form uses in the same words. */
export const SITE_FORM_TEXT = {
  trapLabel: {
    en: 'Leave this field empty (it catches automated spam)',
    de: 'Dieses Feld leer lassen (es fängt automatisierten Spam ab)',
  },
  expired: {
    en: 'This form was open for too long. Please send it again.',
    de: 'Dieses Formular war zu lange geöffnet. Bitte senden Sie es erneut.',
  },
  forged: {
    en: 'We could not verify this form. Please send it again from this page.',
    de: 'Wir konnten dieses Formular nicht prüfen. Bitte senden Sie es erneut von dieser Seite.',
  },
} satisfies Record<string, Localised>;

/** The refusals each form words for what it collects (an enquiry, an address). */
export interface FormGuardTexts {
  tooFast: Localised;
  /** `{minutes}` stands for the wait. */
  rateLimited: Localised;
}

/** A form sent back: its status and the message shown above it. */
export interface FormRejection {
  status: 400 | 429;
  formError: string;
}

export interface SiteFormGuard {
  /** A fresh signed timestamp for the form's hidden `form_token` field. */
  issueToken(): string;
  /**
   * The checks against bots, for a form whose fields are valid (field errors come first, so a person
   * sees what to fix): the form's age, then the sender's rate limit, last because it counts a hit.
   * Null when the form may be kept; on a 429 it also sets Retry-After.
   */
  check(
    submission: { body: FormBody; address: string; lang: Lang; now: Date },
    reply: FastifyReply,
  ): Promise<FormRejection | null>;
}

export function createSiteFormGuard(
  deps: { config: Config; db: Queryable; signer: FormSigner; secret: string; now: () => Date },
  form: { purpose: string; rateLimit: RateLimitRule; texts: FormGuardTexts },
): SiteFormGuard {
  const { config, db, signer, secret } = deps;
  return {
    issueToken: () => issueFormTimestamp(signer, form.purpose, deps.now()),
    async check({ body, address, lang, now }, reply) {
      const timing = checkFormTiming(signer, form.purpose, formValue(body, 'form_token'), {
        now,
        minSeconds: config.contact.minSubmitSeconds,
      });
      // A forged or instant form is a bot's (an expired one is a person's open tab): it counts as spam.
      if (timing === 'forged' || timing === 'too_fast') reportAbuse(reply.request, 'form_spam');
      if (timing === 'forged') return { status: 400, formError: SITE_FORM_TEXT.forged[lang] };
      if (timing === 'too_fast') return { status: 400, formError: form.texts.tooFast[lang] };
      if (timing === 'expired') return { status: 400, formError: SITE_FORM_TEXT.expired[lang] };

      const rate = await consumeRateLimit(db, form.rateLimit, { address, secret, now });
      if (rate.allowed) return null;
      reply.header('retry-after', String(rate.retryAfterSeconds));
      const minutes = String(Math.ceil(rate.retryAfterSeconds / 60));
      return { status: 429, formError: form.texts.rateLimited[lang].replace('{minutes}', minutes) };
    },
  };
}

/** The language the form was filled in (its hidden `lang` field), else the visitor's. */
export function formLang(body: FormBody, site: SiteState): Lang {
  const bodyLang = formValue(body, 'lang');
  return isLang(bodyLang) ? bodyLang : site.lang;
}

/** A filled trap field means a bot: people never see it, so they leave it empty. */
export function isTrapFilled(body: FormBody): boolean {
  return (formValue(body, 'website') ?? '') !== '';
}

/** The trap field, hidden from people and assistive technology; `formId` keeps its id unique. */
export function trapField(formId: string, lang: Lang): SafeHtml {
  return html`<div class="field field-trap" hidden aria-hidden="true">
      <label for="${formId}-website">${SITE_FORM_TEXT.trapLabel[lang]}</label>
      <input id="${formId}-website" name="website" type="text" value="" tabindex="-1" autocomplete="off">
    </div>`;
}

/**
 * The alerts above a form: a problem with the whole form, and (when fields are marked) the summary
 * that points to them. Both are alerts, so a screen reader announces them after the page reloads.
 */
export function formAlerts(formError: string | undefined, fieldSummary: string | undefined): SafeHtml {
  return html`${formError ? html`<p class="form-error" role="alert">${formError}</p>` : ''}
  ${fieldSummary ? html`<p class="form-error" role="alert">${fieldSummary}</p>` : ''}`;
}
