import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors/app-error.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import { reportAbuse } from '../privacy/abuse-signal.js';
import { truncateIp } from '../privacy/anonymise-ip.js';
import { emailAddressSchema } from '../website/forms/email-address.js';
import { acceptFormPosts, formBodySchema, formValue, requireFormPost } from '../website/forms/form-body.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import {
  createSiteFormGuard,
  type FormRejection,
  formLang,
  isTrapFilled,
} from '../website/forms/site-form.js';
import type { Lang } from '../website/i18n.js';
import { readSiteState, type SiteState, sendSitePage, siteHref } from '../website/layout.js';
import { confirmNewsletterSubscription, findSubscriptionState } from './confirm-newsletter-subscription.js';
import { CURRENT_CONSENT_VERSION, isConsentVersion } from './consent-wording.js';
import { type MessagePageOptions, messagePage, signUpPage, TEXT } from './newsletter.page.js';
import { createNewsletterTokens } from './newsletter-tokens.js';
import { signUpForNewsletter } from './sign-up-for-newsletter.js';
import { unsubscribeFromNewsletter } from './unsubscribe-from-newsletter.js';

const FORM_TOKEN_PURPOSE = 'newsletter-form-issued';
const SIGNUP_RATE_LIMIT = { bucket: 'newsletter', limit: 5, windowSeconds: 3600 };
const MULTIPART = 'multipart/form-data';

const linkQuerySchema = z.object({
  token: z.string().max(2048).optional(),
  lang: z.string().max(8).optional(),
});

/**
 * The one-click POST of RFC 8058 may come as multipart/form-data or as a URL-encoded form. The body
 * only says `List-Unsubscribe=One-Click`; the token in the URL is what counts, and any other content
 * type is refused.
 */
async function requireUnsubscribePost(request: FastifyRequest): Promise<void> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === '' || type === 'application/x-www-form-urlencoded' || type === MULTIPART) return;
  throw new AppError(
    415,
    'unsupported_media_type',
    'Send the unsubscribe request as a form (application/x-www-form-urlencoded or multipart/form-data).',
  );
}

/** A confirmation link whose token does not verify: an expired one says so, any other is invalid. */
function brokenConfirmLink(lang: Lang, reason: 'invalid' | 'expired'): MessagePageOptions {
  const expired = reason === 'expired';
  return {
    title: expired ? TEXT.expiredTitle[lang] : TEXT.invalidTitle[lang],
    text: expired ? TEXT.expiredText[lang] : TEXT.invalidText[lang],
    offerSignUp: true,
  };
}

/** A sign-up that is no longer there (expired unconfirmed, or unsubscribed since). */
function signUpGone(lang: Lang): MessagePageOptions {
  return { title: TEXT.invalidTitle[lang], text: TEXT.goneText[lang], offerSignUp: true };
}

/** The newsletter with double opt-in: sign-up, confirmation, unsubscribing (their jobs: newsletter.jobs.ts). */
export const newsletterRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { config, db, jobs } = context;
  const secret = await loadFormSigningSecret(config);
  const signer = createFormSigner(secret);
  const tokens = createNewsletterTokens(signer);
  const guard = createSiteFormGuard(
    { config, db, signer, secret, now: () => context.now() },
    { purpose: FORM_TOKEN_PURPOSE, rateLimit: SIGNUP_RATE_LIMIT, texts: TEXT },
  );
  await acceptFormPosts(app);
  if (!app.hasContentTypeParser(MULTIPART)) {
    app.addContentTypeParser(MULTIPART, { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, { multipart: String(body) });
    });
  }

  // Confirmation and unsubscribe links carry their token in the URL: no Referer may carry it on,
  // not even to our own stylesheet. `strict-origin` sends the origin only — and, unlike
  // `no-referrer`, lets the page's own forms (the cookie banner, the confirm button) carry a real
  // `Origin` instead of `null`, which the cross-site check would refuse.
  app.addHook('onRequest', async (request, reply) => {
    if (/^\/newsletter\/(confirm|unsubscribe)(\?|$)/.test(request.url))
      reply.header('referrer-policy', 'strict-origin');
  });

  // Every page of the newsletter, in the language `site` names (a form's hidden field may set it).
  const sendMessage = (reply: FastifyReply, site: SiteState, options: MessagePageOptions, status = 200) =>
    sendSitePage(reply, site, '/newsletter', messagePage(site, options), status);
  // Every rendering of the sign-up form carries a fresh timestamp and the current consent wording.
  const freshForm = () => ({ formToken: guard.issueToken(), consentVersion: CURRENT_CONSENT_VERSION });

  app.get('/newsletter', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendSitePage(reply, site, '/newsletter', signUpPage(site, freshForm()));
  });

  app.post(
    '/newsletter',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const visitor = readSiteState(request, config);
      const lang = formLang(body, visitor);
      const site = { ...visitor, lang };
      const email = formValue(body, 'email');
      const rerender = (
        status: FormRejection['status'],
        problem: { emailError?: string; formError?: string },
      ) =>
        sendSitePage(
          reply,
          site,
          '/newsletter',
          signUpPage(site, { ...freshForm(), ...(email === undefined ? {} : { email }), ...problem }),
          status,
        );
      const checkInbox = siteHref(site, '/newsletter/check-inbox');

      // A filled trap field means a bot: it sees the usual answer, and nothing is kept or sent.
      if (isTrapFilled(body)) {
        reportAbuse(request, 'form_spam');
        return reply.redirect(checkInbox, 303);
      }

      const now = context.now();
      // Field errors first, so a person sees what to fix; the checks against bots guard storing.
      const consentVersion = formValue(body, 'consent_version');
      if (!isConsentVersion(consentVersion)) return rerender(400, { formError: TEXT.unknownWording[lang] });
      const parsed = emailAddressSchema(lang).safeParse(email ?? '');
      if (!parsed.success) return rerender(400, { emailError: parsed.error.issues[0]?.message ?? '' });

      const rejection = await guard.check({ body, address: request.ip, lang, now }, reply);
      if (rejection) return rerender(rejection.status, { formError: rejection.formError });

      await signUpForNewsletter(
        { db, jobs },
        {
          email: parsed.data,
          consentVersion,
          language: lang,
          network: truncateIp(request.ip, config.privacy.ipv6Prefix),
        },
        now,
      );
      // The same answer whatever the outcome, so the form does not reveal who is subscribed.
      return reply.redirect(checkInbox, 303);
    },
  );

  app.get('/newsletter/check-inbox', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const { lang } = site;
    return sendMessage(reply, site, { title: TEXT.checkInboxTitle[lang], text: TEXT.checkInboxText[lang] });
  });

  // Opening the link only shows a page: mail scanners that fetch links must not confirm anything.
  app.get(
    '/newsletter/confirm',
    { schema: { hide: true, querystring: linkQuerySchema } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const { lang } = site;
      const check = tokens.checkConfirmToken(request.query.token, context.now());
      if (!check.ok) return sendMessage(reply, site, brokenConfirmLink(lang, check.reason), 400);
      const state = await findSubscriptionState(db, check.subscriberId);
      if (state === 'not_found') return sendMessage(reply, site, signUpGone(lang), 404);
      if (state === 'confirmed') {
        return sendMessage(reply, site, {
          title: TEXT.confirmedTitle[lang],
          text: TEXT.alreadyConfirmedText[lang],
        });
      }
      return sendMessage(reply, site, {
        title: TEXT.confirmTitle[lang],
        text: TEXT.confirmText[lang],
        action: {
          url: siteHref(site, '/newsletter/confirm'),
          label: TEXT.confirmButton[lang],
          fields: { token: request.query.token ?? '', lang },
        },
      });
    },
  );

  app.post(
    '/newsletter/confirm',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const visitor = readSiteState(request, config);
      const lang = formLang(request.body, visitor);
      const site = { ...visitor, lang };
      const now = context.now();
      const check = tokens.checkConfirmToken(formValue(request.body, 'token'), now);
      if (!check.ok) return sendMessage(reply, site, brokenConfirmLink(lang, check.reason), 400);
      const outcome = await confirmNewsletterSubscription(db, check.subscriberId, {
        now,
        network: truncateIp(request.ip, config.privacy.ipv6Prefix),
      });
      if (outcome === 'not_found') return sendMessage(reply, site, signUpGone(lang), 404);
      return sendMessage(reply, site, {
        title: TEXT.confirmedTitle[lang],
        text: outcome === 'confirmed' ? TEXT.confirmedText[lang] : TEXT.alreadyConfirmedText[lang],
      });
    },
  );

  const invalidUnsubscribeLink = (lang: Lang): MessagePageOptions => ({
    title: TEXT.invalidTitle[lang],
    text: TEXT.invalidText[lang],
  });

  // The unsubscribe link's page: one button that sends the same POST as a one-click client would.
  app.get(
    '/newsletter/unsubscribe',
    { schema: { hide: true, querystring: linkQuerySchema } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const { lang } = site;
      const subscriberId = tokens.checkUnsubscribeToken(request.query.token);
      if (!subscriberId) return sendMessage(reply, site, invalidUnsubscribeLink(lang), 400);
      if ((await findSubscriptionState(db, subscriberId)) === 'not_found') {
        return sendMessage(reply, site, {
          title: TEXT.unsubscribedTitle[lang],
          text: TEXT.notSubscribedText[lang],
        });
      }
      const query = new URLSearchParams({ token: request.query.token ?? '', lang });
      return sendMessage(reply, site, {
        title: TEXT.unsubscribeTitle[lang],
        text: TEXT.unsubscribeText[lang],
        action: {
          url: `/newsletter/unsubscribe?${query.toString()}`,
          label: TEXT.unsubscribeButton[lang],
          fields: { 'List-Unsubscribe': 'One-Click' },
        },
      });
    },
  );

  // RFC 8058 one-click: a POST to the List-Unsubscribe URL unsubscribes at once, no questions asked.
  app.post(
    '/newsletter/unsubscribe',
    {
      schema: { hide: true, querystring: linkQuerySchema },
      preValidation: requireUnsubscribePost,
      bodyLimit: 4096,
    },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const { lang } = site;
      const subscriberId = tokens.checkUnsubscribeToken(request.query.token);
      if (!subscriberId) return sendMessage(reply, site, invalidUnsubscribeLink(lang), 400);
      const outcome = await unsubscribeFromNewsletter(db, subscriberId);
      return sendMessage(reply, site, {
        title: TEXT.unsubscribedTitle[lang],
        text: outcome === 'unsubscribed' ? TEXT.unsubscribedText[lang] : TEXT.notSubscribedText[lang],
      });
    },
  );
};
