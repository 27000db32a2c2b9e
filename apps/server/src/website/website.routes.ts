import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { isAppError } from '../errors/app-error.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import { truncateIp } from '../privacy/anonymise-ip.js';
import { browserFamily } from '../privacy/browser-family.js';
import {
  CONSENT_COOKIE,
  CONSENT_COOKIE_MAX_AGE_SECONDS,
  formatConsentCookie,
  parseConsentCookie,
} from '../privacy/consent-cookie.js';
import { recordConsent } from '../privacy/record-consent.js';
import { acceptFormPosts, requireFormPost } from './forms/form-body.js';
import { LANGS } from './i18n.js';
import { type PageContent, sendSitePage } from './layout.js';
import { cookieSettingsPage } from './pages/cookie-settings-page.js';
import { errorPage } from './pages/error-page.js';
import { homePage } from './pages/home-page.js';
import { imprintPage } from './pages/imprint-page.js';
import { pricingPage } from './pages/pricing-page.js';
import { privacyPage } from './pages/privacy-page.js';
import { LANG_COOKIE, readSiteState, type SiteState, siteHref, websiteCookie } from './site-state.js';
import { type Asset, FONT_FILES, loadWebsiteAssets } from './website-assets.js';

const pageQuery = z.object({ lang: z.enum(LANGS).optional() });
const cookieSettingsQuery = pageQuery.extend({ saved: z.literal('1').optional() });

/** A path on this site to go back to after a form: absolute path, no scheme, no `//`, no query. */
const returnPath = z
  .string()
  .max(200)
  .regex(/^\/(?!\/)[A-Za-z0-9\-._~/]*$/, 'must be a path on this site');

const consentBody = z.object({
  choice: z.enum(['accept', 'reject', 'save']),
  preferences: z.literal('on').optional(),
  statistics: z.literal('on').optional(),
  lang: z.enum(LANGS).optional(),
  return_to: returnPath.optional(),
});

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset, maxAgeSeconds: number) {
  reply.header('cache-control', `public, max-age=${maxAgeSeconds}`).header('etag', asset.etag);
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  return reply.type(asset.type).send(asset.body);
}

/** The public website: home, pricing, imprint, privacy policy, cookie settings and their assets. */
export const websiteRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { config, db } = context;
  const assets = await loadWebsiteAssets();
  await acceptFormPosts(app);

  // Errors of the pages in this scope are pages too, in the visitor's language.
  app.setErrorHandler((error, request, reply) => {
    const site = readSiteState(request, config);
    let status = 500;
    let message =
      site.lang === 'de'
        ? 'Auf unserer Seite ist ein Fehler aufgetreten.'
        : 'Something went wrong on our side.';
    if (isAppError(error)) {
      status = error.status;
      message = error.message;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      status = 400;
      message = error.validation
        .map(
          (issue) =>
            `${issue.instancePath.replace(/^\//, '') || 'request'}: ${issue.message ?? 'is invalid'}`,
        )
        .join('; ');
    } else if (typeof error === 'object' && error !== null && 'statusCode' in error) {
      const code = Number((error as { statusCode: unknown }).statusCode);
      if (code >= 400 && code < 500) {
        status = code;
        message = error instanceof Error ? error.message : 'Bad request';
      }
    }
    if (status >= 500) request.log.error({ err: error }, 'website page failed');
    return sendSitePage(
      reply,
      site,
      request.url.split('?')[0] ?? '/',
      errorPage(site.lang, status, message),
      status,
    );
  });

  app.get('/site/site.css', { schema: { hide: true } }, (request, reply) =>
    sendAsset(request, reply, assets.css, 31_536_000),
  );
  app.get('/site/favicon.svg', { schema: { hide: true } }, (request, reply) =>
    sendAsset(request, reply, assets.favicon, 86_400),
  );
  // Browsers ask for /favicon.ico on their own when a page names no icon; answering it keeps those
  // requests from ending in 404s (an SVG under that name is shown by every current browser).
  app.get('/favicon.ico', { schema: { hide: true } }, (request, reply) =>
    sendAsset(request, reply, assets.favicon, 86_400),
  );
  app.get(
    '/site/fonts/:file',
    { schema: { hide: true, params: z.object({ file: z.enum(FONT_FILES) }) } },
    (request, reply) => sendAsset(request, reply, assets.fonts[request.params.file], 31_536_000),
  );

  const page =
    (path: string, build: (site: SiteState) => PageContent) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const site = readSiteState(request, config);
      return sendSitePage(reply, site, path, build(site));
    };

  const schema = { hide: true, querystring: pageQuery } as const;
  app.get('/', { schema }, page('/', homePage));
  app.get('/pricing', { schema }, page('/pricing', pricingPage));
  app.get(
    '/imprint',
    { schema },
    page('/imprint', (site) => imprintPage(site, config.operatorIdentity)),
  );
  app.get(
    '/privacy',
    { schema },
    page('/privacy', (site) => privacyPage(site, config)),
  );
  app.get(
    '/cookie-settings',
    { schema: { hide: true, querystring: cookieSettingsQuery } },
    (request, reply) =>
      page('/cookie-settings', (site) => cookieSettingsPage(site, { saved: request.query.saved === '1' }))(
        request,
        reply,
      ),
  );

  app.post(
    '/cookie-settings',
    { schema: { hide: true, body: consentBody }, preValidation: requireFormPost, bodyLimit: 4096 },
    async (request, reply) => {
      // A cross-site form must not record a choice in someone else's name (http/same-origin.ts).
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const site = readSiteState(request, config);
      const gpc = site.consent.gpc;
      const preferences = body.choice === 'accept' || (body.choice === 'save' && body.preferences === 'on');
      // With Global Privacy Control, statistics are off whatever the form says.
      const statistics =
        !gpc && (body.choice === 'accept' || (body.choice === 'save' && body.statistics === 'on'));
      const previous = parseConsentCookie(request.cookies[CONSENT_COOKIE]);
      const consentId = previous?.consentId ?? randomUUID();
      const policyRevision = config.privacy.policyRevision;
      await recordConsent(db, {
        consentId,
        recordedAt: context.now(),
        policyRevision,
        preferences,
        statistics,
        gpc,
        ipTruncated: truncateIp(request.ip, config.privacy.ipv6Prefix),
        browser: browserFamily(request.headers['user-agent']).browser,
      });
      const lang = body.lang ?? site.lang;
      const secure = site.secure;
      reply.setCookie(
        CONSENT_COOKIE,
        formatConsentCookie({ consentId, policyRevision, preferences, statistics }),
        websiteCookie({ maxAgeSeconds: CONSENT_COOKIE_MAX_AGE_SECONDS, secure }),
      );
      if (preferences) {
        reply.setCookie(LANG_COOKIE, lang, websiteCookie({ maxAgeSeconds: 365 * 24 * 60 * 60, secure }));
      } else if (request.cookies[LANG_COOKIE] !== undefined) {
        // Preferences withdrawn: the language cookie goes.
        reply.setCookie(LANG_COOKIE, '', websiteCookie({ maxAgeSeconds: 0, secure }));
      }
      const target = body.return_to ?? '/';
      const withSaved = target === '/cookie-settings' ? `${target}?saved=1` : target;
      const location = siteHref({ lang, langInLinks: !preferences }, withSaved);
      return reply.redirect(location, 303);
    },
  );
};
