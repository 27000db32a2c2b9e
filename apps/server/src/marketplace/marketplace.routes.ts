import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import { takeSignedJsonCookie } from '../http/signed-json-cookie.js';
import {
  adminConsentCallbackQuery,
  createOidcClient,
  newPendingLogin,
  signInCallbackQuery,
} from '../web-session/oidc-client.js';
import { acceptFormPosts, formBodySchema, formValue, requireFormPost } from '../website/forms/form-body.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import { readSiteState, type SiteState, sendSitePage } from '../website/layout.js';
import { messagePage } from '../website/message-page.js';
import { errorPage } from '../website/pages/error-page.js';
import { activateMarketplaceSubscription } from './activate-marketplace-subscription.js';
import { applyMarketplaceOperation, MARKETPLACE_ACTIONS } from './apply-marketplace-operation.js';
import { activePage, landingPage, TEXT } from './marketplace.page.js';
import { createMarketplaceClient, type MarketplaceClient } from './marketplace-client.js';
import { marketplaceTerms } from './marketplace-terms.js';
import { recordMarketplaceConsent } from './record-marketplace-consent.js';
import { createWebhookTokenVerifier } from './verify-webhook-token.js';

const PURCHASE_PURPOSE = 'marketplace-purchase';
const CONSENT_PURPOSE = 'marketplace-consent';
/** The Microsoft sign-in or admin consent in progress: a signed cookie, only on /marketplace. */
const PENDING_COOKIE = 'mailissa_marketplace';
const PENDING_MAX_AGE_SECONDS = 10 * 60;
const WEBHOOK_BODY_LIMIT = 64 * 1024;

const pendingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('activate'),
    subscriptionId: z.uuid(),
    state: z.string(),
    nonce: z.string(),
    codeVerifier: z.string(),
  }),
  z.object({ kind: z.literal('consent'), microsoftTenantId: z.uuid(), state: z.string() }),
]);
type Pending = z.infer<typeof pendingSchema>;

const landingQuery = z.object({ token: z.string().max(4096).optional(), lang: z.string().max(8).optional() });
// Microsoft may add fields: only what we act on is checked (its advice: no strict deserialisation).
const webhookBodySchema = z.looseObject({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  action: z.enum(MARKETPLACE_ACTIONS),
});

/**
 * The Microsoft commercial marketplace as a second way to buy (docs/decisions/140): the offer's
 * landing page (EN/DE, server-rendered in the website's layout) that resolves the purchase token,
 * shows what was bought and activates it for the organisation the buyer signs in with; admin consent
 * after it; and the connection webhook, verified by its Entra token and confirmed through the
 * operations API before anything is applied.
 */
export const marketplaceRoutes: FastifyPluginAsyncZod<{
  context: AppContext;
  client?: MarketplaceClient;
}> = async (app, options) => {
  const { context } = options;
  const { config, db } = context;
  const marketplace = config.billing.marketplace;
  if (!marketplace?.publisherTenantId) return;
  const publisherTenantId = marketplace.publisherTenantId;
  const client =
    options.client ??
    createMarketplaceClient({
      apiBase: marketplace.apiBase,
      authorityBase: config.entra.authorityBase,
      publisherTenantId,
      clientId: config.entra.clientId,
      clientSecret: config.entra.clientSecret,
      now: () => context.now(),
    });
  const verifyWebhookToken = createWebhookTokenVerifier({
    authorityBase: config.entra.authorityBase,
    publisherTenantId,
    clientId: config.entra.clientId,
    now: () => context.now(),
  });
  const signer = createFormSigner(await loadFormSigningSecret(config));
  const secureCookies = config.publicBaseUrl.startsWith('https://');
  const oidc = createOidcClient({
    authorityBase: config.entra.authorityBase,
    clientId: config.entra.clientId,
    clientSecret: config.entra.clientSecret,
    redirectUri: `${config.publicBaseUrl}/marketplace/landing/callback`,
    now: () => context.now(),
  });
  const consentRedirectUri = `${config.publicBaseUrl}/marketplace/consent/callback`;

  // --- The connection webhook (JSON, Microsoft's call) ------------------------------------------
  app.post(
    '/api/marketplace/webhook',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      // The token first: a call without Microsoft's token learns nothing about what a valid body is.
      preValidation: async (request) => verifyWebhookToken(request.headers.authorization),
      schema: {
        tags: ['billing'],
        summary:
          'Commercial marketplace webhook: an operation, verified by its Entra token and the operations API',
        headers: z.object({ authorization: z.string().max(8000).optional() }),
        body: webhookBodySchema,
        response: {
          200: z.object({ outcome: z.enum(['applied', 'rejected', 'duplicate', 'ignored']) }),
        },
      },
    },
    async (request) => {
      const { id, subscriptionId, action } = request.body;
      const outcome = await applyMarketplaceOperation(
        { db, client },
        { id: id.toLowerCase(), subscriptionId: subscriptionId.toLowerCase(), action },
        context.now(),
      );
      request.log.info({ operationId: id, action, outcome }, 'marketplace operation');
      return { outcome };
    },
  );

  // --- The landing page (HTML) -------------------------------------------------------------------
  await app.register(async (plain) => {
    const pages = plain.withTypeProvider<ZodTypeProvider>();
    await acceptFormPosts(plain);
    // The landing URL carries the purchase token: no Referer may carry it on. `strict-origin` sends
    // the origin only and, unlike `no-referrer`, lets the page's forms carry a real `Origin` (decision 015).
    pages.addHook('onRequest', async (_request, reply) => {
      reply.header('referrer-policy', 'strict-origin');
      reply.header('cache-control', 'no-store');
    });
    pages.setErrorHandler((error, request, reply) => {
      const site = readSiteState(request, config);
      const status = isAppError(error) ? error.status : 500;
      if (status >= 500) request.log.error({ err: error }, 'marketplace page failed');
      // Our own errors' messages are safe to show; a 503 of the marketplace says to try again.
      const message =
        isAppError(error) && (status < 500 || error.code === 'marketplace_unavailable')
          ? error.message
          : site.lang === 'de'
            ? 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.'
            : 'An unexpected error occurred. Please try again later.';
      return sendSitePage(reply, site, '/marketplace/landing', errorPage(site.lang, status, message), status);
    });

    const setPending = (reply: FastifyReply, pending: Pending) =>
      reply.setCookie(PENDING_COOKIE, JSON.stringify(pending), {
        path: '/marketplace',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        signed: true,
        maxAge: PENDING_MAX_AGE_SECONDS,
      });
    /** The round trip of this browser, consumed once; null unless its kind and `state` match. */
    function takePending<K extends Pending['kind']>(
      request: FastifyRequest,
      reply: FastifyReply,
      kind: K,
      state: string | undefined,
    ): Extract<Pending, { kind: K }> | null {
      const pending = takeSignedJsonCookie(
        request,
        reply,
        { name: PENDING_COOKIE, path: '/marketplace' },
        pendingSchema,
      );
      if (!pending || pending.kind !== kind || !state || pending.state !== state) return null;
      return pending as Extract<Pending, { kind: K }>;
    }
    const message = (reply: FastifyReply, site: SiteState, title: string, text: string, status = 200) =>
      sendSitePage(reply, site, '/marketplace/landing', messagePage({ title, text, narrow: true }), status);

    pages.get(
      '/marketplace/landing',
      { schema: { hide: true, querystring: landingQuery } },
      async (request, reply) => {
        const site = readSiteState(request, config);
        const token = request.query.token;
        if (!token)
          throw new AppError(
            400,
            'marketplace_purchase_invalid',
            'This page is opened from the Microsoft marketplace with a purchase token.',
          );
        const purchase = await client.resolve(token);
        if (purchase.saasSubscriptionStatus === 'Subscribed') {
          const ours = await db.query('select 1 from marketplace_subscriptions where id = $1', [purchase.id]);
          if (ours.rowCount > 0)
            return message(reply, site, TEXT.alreadyActiveTitle[site.lang], TEXT.alreadyActive[site.lang]);
        } else if (purchase.saasSubscriptionStatus !== 'PendingFulfillmentStart') {
          return message(reply, site, TEXT.endedTitle[site.lang], TEXT.ended[site.lang], 409);
        }
        const terms = marketplaceTerms(purchase, context.now());
        return sendSitePage(
          reply,
          site,
          '/marketplace/landing',
          landingPage(site, {
            subscriptionName: typeof purchase.name === 'string' ? purchase.name : 'Mailissa',
            plan: terms.plan,
            users: terms.seats,
            interval: terms.interval,
            // Not the token: the purchase's id, signed, so the form cannot be pointed at another one.
            purchase: signer.sign(PURCHASE_PURPOSE, purchase.id),
          }),
        );
      },
    );

    pages.post(
      '/marketplace/landing',
      { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 4096 },
      async (request, reply) => {
        assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
        const subscriptionId = signer.verify(PURCHASE_PURPOSE, formValue(request.body, 'purchase') ?? '');
        if (!subscriptionId || !z.uuid().safeParse(subscriptionId).success)
          throw new AppError(
            400,
            'marketplace_purchase_invalid',
            'purchase: open this page from the Microsoft marketplace again.',
          );
        const pending = newPendingLogin();
        setPending(reply, { kind: 'activate', subscriptionId, ...pending });
        // Any organisation's work account: which tenant it is decides, and must be the beneficiary's.
        return reply.redirect(oidc.authorizeUrl('organizations', pending), 303);
      },
    );

    pages.get(
      '/marketplace/landing/callback',
      { schema: { hide: true, querystring: signInCallbackQuery } },
      async (request, reply) => {
        const site = readSiteState(request, config);
        const pending = takePending(request, reply, 'activate', request.query.state);
        if (!pending || request.query.error || !request.query.code)
          return message(
            reply,
            site,
            TEXT.signInCancelledTitle[site.lang],
            TEXT.signInCancelled[site.lang],
            400,
          );
        let identity: Awaited<ReturnType<typeof oidc.redeemCode>>;
        try {
          identity = await oidc.redeemCode('organizations', request.query.code, pending);
        } catch (error) {
          if (isAppError(error) && error.status < 500) {
            request.log.info({ code: error.code, detail: error.detail }, 'marketplace sign-in refused');
            return message(
              reply,
              site,
              TEXT.signInCancelledTitle[site.lang],
              TEXT.signInCancelled[site.lang],
              400,
            );
          }
          throw error;
        }
        const activated = await activateMarketplaceSubscription(
          { db, client },
          pending.subscriptionId,
          { microsoftTenantId: identity.tenantId, email: identity.email },
          context.now(),
        );
        request.log.info(
          { tenantId: activated.tenantId, plan: activated.terms.plan.id },
          'marketplace subscription activated',
        );
        return sendSitePage(
          reply,
          site,
          '/marketplace/landing',
          activePage(site, {
            plan: activated.terms.plan,
            users: activated.terms.seats,
            periodEnd: activated.terms.periodEnd,
            consent: activated.consentPending
              ? signer.sign(CONSENT_PURPOSE, identity.tenantId.toLowerCase())
              : null,
          }),
        );
      },
    );

    pages.post(
      '/marketplace/consent',
      { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 4096 },
      async (request, reply) => {
        assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
        const microsoftTenantId = signer.verify(CONSENT_PURPOSE, formValue(request.body, 'grant') ?? '');
        if (!microsoftTenantId || !z.uuid().safeParse(microsoftTenantId).success)
          throw new AppError(400, 'invalid_request', 'grant: activate the subscription first.');
        const state = newPendingLogin().state;
        setPending(reply, { kind: 'consent', microsoftTenantId, state });
        // Microsoft's admin consent endpoint (docs/microsoft-365.md §2.9), as the registration portal uses it.
        const url = new URL(`${config.entra.authorityBase}/${microsoftTenantId}/v2.0/adminconsent`);
        url.search = new URLSearchParams({
          client_id: config.entra.clientId,
          scope: 'https://graph.microsoft.com/.default',
          redirect_uri: consentRedirectUri,
          state,
        }).toString();
        return reply.redirect(url.toString(), 303);
      },
    );

    pages.get(
      '/marketplace/consent/callback',
      { schema: { hide: true, querystring: adminConsentCallbackQuery } },
      async (request, reply) => {
        const site = readSiteState(request, config);
        const pending = takePending(request, reply, 'consent', request.query.state);
        const { admin_consent: granted, tenant, error } = request.query;
        const recorded =
          pending &&
          !error &&
          granted?.toLowerCase() === 'true' &&
          tenant?.toLowerCase() === pending.microsoftTenantId &&
          (await recordMarketplaceConsent(db, pending.microsoftTenantId, context.now()));
        return recorded
          ? message(reply, site, TEXT.consentGrantedTitle[site.lang], TEXT.consentGranted[site.lang])
          : message(reply, site, TEXT.consentDeclinedTitle[site.lang], TEXT.consentDeclined[site.lang], 400);
      },
    );
  });
};
