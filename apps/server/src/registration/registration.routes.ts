import { type ErrorCode, hasControlCharacters, hasHiddenFormatting } from '@mailissa/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { billingSection } from '../billing/billing.page.js';
import type { BillingServices } from '../billing/billing-services.js';
import { changePlan, paymentMethodPage, planChoice } from '../billing/change-plan.js';
import { changeSeats, setCancelAtPeriodEnd } from '../billing/change-seats.js';
import { getBillingOverview } from '../billing/get-billing-overview.js';
import { isPlanId, type PlanId } from '../billing/plans.js';
import { startCheckout } from '../billing/start-checkout.js';
import { withTenant } from '../db/database.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import { takeSignedJsonCookie } from '../http/signed-json-cookie.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { exportSubjectData } from '../rights/export-subject-data.js';
import { findEndedTenancy } from '../rights/find-ended-tenancy.js';
import {
  eraseRegistrationAccount,
  exportRegistrationAccount,
} from '../rights/registration-account-rights.js';
import { renderExportHtml } from '../rights/render-export-html.js';
import {
  adminConsentCallbackQuery,
  createOidcClient,
  newPendingLogin,
  signInCallbackQuery,
} from '../web-session/oidc-client.js';
import { emailAddressSchema } from '../website/forms/email-address.js';
import {
  acceptFormPosts,
  type FormBody,
  formBodySchema,
  formValue,
  requireFormPost,
} from '../website/forms/form-body.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import {
  createSiteFormGuard,
  type FormRejection,
  formLang,
  isTrapFilled,
} from '../website/forms/site-form.js';
import { html, readSiteState, type SiteState, sendSitePage, siteHref } from '../website/layout.js';
import { errorPage } from '../website/pages/error-page.js';
import { cancelTrial } from './cancel-trial.js';
import { COMPANY_FIELDS, type CompanyField, companyDataSchema } from './company.schemas.js';
import { composeEmailChangeMail } from './compose-email-change-mail.js';
import { confirmEmailChange } from './confirm-email-change.js';
import { connectTenant } from './connect-tenant.js';
import { findEmailChange } from './find-email-change.js';
import { getRegistrationOverview } from './get-registration-overview.js';
import { recordAdminConsent } from './record-admin-consent.js';
import {
  type AccountPageOptions,
  accountPage,
  isNotice,
  type MessageOptions,
  messagePage,
  type Notice,
  signInPage,
  signUpPage,
  TEXT,
} from './registration.page.js';
import { checkRegistrationLink, linkIdOf, useRegistrationLink } from './registration-links.js';
import {
  createRegistrationSession,
  deleteRegistrationSession,
  findRegistrationSession,
  REGISTRATION_COOKIE,
  type RegistrationSession,
} from './registration-sessions.js';
import { emailChangeTokenHash, requestEmailChange } from './request-email-change.js';
import { requestRegistrationLink } from './request-registration-link.js';
import { saveAccountName } from './save-account-name.js';
import { saveCompanyData } from './save-company-data.js';
import { startTrial } from './start-trial.js';

const FORM_PURPOSE = 'registration-form-issued';
const CSRF_PURPOSE = 'registration-csrf';
const LINK_RATE_LIMIT = { bucket: 'registration', limit: 10, windowSeconds: 3600 };
/** The Microsoft sign-in or admin consent in progress: a signed cookie, only on /register. */
const MICROSOFT_COOKIE = 'mailissa_register_ms';
const MICROSOFT_COOKIE_MAX_AGE_SECONDS = 10 * 60;

const pendingMicrosoftSchema = z.object({
  kind: z.enum(['connect', 'consent']),
  accountId: z.uuid(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
});

const pageQuery = z.object({
  lang: z.string().max(8).optional(),
  plan: z.string().max(20).optional(),
  notice: z.string().max(40).optional(),
});
const linkQuery = z.object({ token: z.string().max(2048).optional(), lang: z.string().max(8).optional() });

function planOf(value: unknown): PlanId | null {
  return isPlanId(value) ? value : null;
}

/**
 * The registration portal under /register: sign-up and sign-in by e-mail link, connecting the
 * buyer's Microsoft 365 tenant and its admin consent, company data, and the free trial. Server-rendered
 * in the website's layout; see docs/decisions/021-registration-accounts-and-tenant-binding.md.
 */
export const registrationRoutes: FastifyPluginAsyncZod<{
  context: AppContext;
  billing?: BillingServices;
  /** The product's mail: the e-mail change link goes out at once, so its token is never stored. */
  mail: MailSender;
}> = async (app, { context, billing, mail }) => {
  const { config, db, jobs } = context;
  const secret = await loadFormSigningSecret(config);
  const signer = createFormSigner(secret);
  /** The visitor's site state, in the language the posted form was shown in. */
  const formSiteState = (request: FastifyRequest, body: FormBody): SiteState => {
    const visitor = readSiteState(request, config);
    return { ...visitor, lang: formLang(body, visitor) };
  };
  const guard = createSiteFormGuard(
    { config, db, signer, secret, now: () => context.now() },
    { purpose: FORM_PURPOSE, rateLimit: LINK_RATE_LIMIT, texts: TEXT },
  );
  const secureCookies = config.publicBaseUrl.startsWith('https://');
  const oidc = createOidcClient({
    authorityBase: config.entra.authorityBase,
    clientId: config.entra.clientId,
    clientSecret: config.entra.clientSecret,
    redirectUri: `${config.publicBaseUrl}/register/microsoft/callback`,
  });
  const consentRedirectUri = `${config.publicBaseUrl}/register/consent/callback`;
  await acceptFormPosts(app);

  // Link pages carry their token in the URL: no Referer may carry it on, not even to our stylesheet.
  // `strict-origin` sends the origin only and, unlike `no-referrer`, lets the page's own forms (the
  // sign-in button, the cookie banner) carry a real `Origin` instead of `null` (decision 015).
  app.addHook('onRequest', async (request, reply) => {
    if (/^\/register\/(link|account\/email\/confirm)(\?|$)/.test(request.url))
      reply.header('referrer-policy', 'strict-origin');
  });

  app.setErrorHandler((error, request, reply) => {
    const site = readSiteState(request, config);
    const status = isAppError(error) ? error.status : 500;
    if (status >= 500) request.log.error({ err: error }, 'registration page failed');
    const message =
      isAppError(error) && status < 500
        ? error.message
        : site.lang === 'de'
          ? 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.'
          : 'An unexpected error occurred. Please try again later.';
    return sendSitePage(
      reply,
      site,
      request.url.split('?')[0] ?? '/register',
      errorPage(site.lang, status, message),
      status,
    );
  });

  const sessionOf = (request: FastifyRequest) =>
    findRegistrationSession(
      db,
      request.cookies[REGISTRATION_COOKIE],
      context.now(),
      config.session.idleMinutes,
    );
  const csrfOf = (session: RegistrationSession) => signer.sign(CSRF_PURPOSE, session.sessionId);
  const accountUrl = (site: SiteState, notice?: Notice) =>
    siteHref(site, notice ? `/register/account?notice=${notice}` : '/register/account');

  /**
   * A POST of the account page: from our own origin, with the session's CSRF token. A missing or
   * ended session sends the visitor to sign in again.
   */
  async function requireAccountPost(
    request: FastifyRequest,
    body: FormBody,
    reply: FastifyReply,
  ): Promise<{ session: RegistrationSession; site: SiteState } | null> {
    assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
    const site = formSiteState(request, body);
    const session = await sessionOf(request);
    if (!session) {
      await reply.redirect(siteHref(site, '/register/sign-in?notice=session_ended'), 303);
      return null;
    }
    if (signer.verify(CSRF_PURPOSE, formValue(body, 'csrf') ?? '') !== session.sessionId) {
      throw new AppError(
        403,
        'csrf_check_failed',
        'This form was not sent from your account page. Reload it and try again.',
      );
    }
    return { session, site };
  }

  /** Sent by an action that answered itself (a page rendered, or a redirect it chose). */
  const REPLIED = Symbol('replied');
  /** Where an action of the account page leads: a notice on it (null: the page as it is), or elsewhere. */
  type ActionOutcome = Notice | null | { location: string } | typeof REPLIED;

  /**
   * An action of the account page: a form POST from the signed-in account (requireAccountPost), then
   * `act`. Typed errors named in `notices` become that notice on the account page, not an error page;
   * every action ends in a 303, so a reload never posts again.
   */
  function accountAction(
    path: string,
    act: (
      posted: { session: RegistrationSession; site: SiteState },
      body: FormBody,
      reply: FastifyReply,
    ) => Promise<ActionOutcome>,
    options: { notices?: Partial<Record<ErrorCode, Notice | null>>; bodyLimit?: number } = {},
  ) {
    app.post(
      path,
      {
        schema: { hide: true, body: formBodySchema },
        preValidation: requireFormPost,
        bodyLimit: options.bodyLimit ?? 4096,
      },
      async (request, reply) => {
        const posted = await requireAccountPost(request, request.body, reply);
        if (!posted) return reply;
        let outcome: ActionOutcome;
        try {
          outcome = await act(posted, request.body, reply);
        } catch (error) {
          const notices = options.notices ?? {};
          if (!isAppError(error) || !Object.hasOwn(notices, error.code)) throw error;
          outcome = notices[error.code] ?? null;
        }
        if (outcome === REPLIED) return reply;
        if (outcome !== null && typeof outcome === 'object') return reply.redirect(outcome.location, 303);
        return reply.redirect(accountUrl(posted.site, outcome ?? undefined), 303);
      },
    );
  }

  async function renderAccount(
    reply: FastifyReply,
    site: SiteState,
    session: RegistrationSession,
    options: Omit<AccountPageOptions, 'csrf'>,
    status = 200,
  ) {
    const overview = await getRegistrationOverview(db, session.accountId, context.now());
    if (!overview) throw new AppError(401, 'not_signed_in', 'Sign in first.');
    const billingOverview = await getBillingOverview(
      db,
      session.accountId,
      Boolean(billing?.provider),
      config.accounting.bankTransfer,
    );
    const endedTenancy = await findEndedTenancy(
      db,
      session.accountId,
      context.now(),
      config.rights.tenancyDeletionDays,
    );
    reply.header('cache-control', 'no-store');
    return sendSitePage(
      reply,
      site,
      '/register/account',
      accountPage(site, overview, {
        ...options,
        csrf: csrfOf(session),
        billing: billingSection(site.lang, billingOverview, csrfOf(session)),
        endedTenancy: endedTenancy
          ? {
              name: endedTenancy.tenantName,
              endedAt: endedTenancy.endedAt,
              deleteAfter: endedTenancy.deleteAfter,
            }
          : null,
      }),
      status,
    );
  }

  const sendMessage = (reply: FastifyReply, site: SiteState, options: MessageOptions, status = 200) =>
    sendSitePage(reply, site, '/register', messagePage(site, options), status);

  // --- Sign-up and sign-in by e-mail link -------------------------------------------------------

  app.get('/register', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const plan = planOf(request.query.plan);
    if (await sessionOf(request))
      return reply.redirect(siteHref(site, `/register/account${plan ? `?plan=${plan}` : ''}`), 303);
    return sendSitePage(reply, site, '/register', signUpPage(site, { formToken: guard.issueToken(), plan }));
  });

  app.post(
    '/register',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const site = formSiteState(request, body);
      const { lang } = site;
      const plan = planOf(formValue(body, 'plan'));
      const email = formValue(body, 'email') ?? '';
      const fullName = (formValue(body, 'full_name') ?? '').trim();
      const rerender = (
        status: FormRejection['status'],
        problem: { errors?: { email?: string; fullName?: string }; formError?: string },
      ) =>
        sendSitePage(
          reply,
          site,
          '/register',
          signUpPage(site, { formToken: guard.issueToken(), plan, email, fullName, ...problem }),
          status,
        );
      const checkInbox = siteHref(site, '/register/check-inbox');
      if (isTrapFilled(body)) return reply.redirect(checkInbox, 303);

      const errors: { email?: string; fullName?: string } = {};
      if (fullName === '') errors.fullName = TEXT.nameRequired[lang];
      else if (fullName.length > 200) errors.fullName = TEXT.nameTooLong[lang];
      // The name goes into the account, the mails and the invoices: nothing that reorders or hides text.
      else if (hasControlCharacters(fullName, { multiline: false }) || hasHiddenFormatting(fullName))
        errors.fullName = TEXT.nameHidden[lang];
      const parsed = emailAddressSchema(lang).safeParse(email);
      if (!parsed.success) errors.email = parsed.error.issues[0]?.message ?? '';
      if (!parsed.success || errors.fullName) return rerender(400, { errors });

      const now = context.now();
      const rejection = await guard.check({ body, address: request.ip, lang, now }, reply);
      if (rejection) return rerender(rejection.status, { formError: rejection.formError });
      await requestRegistrationLink(
        { db, jobs },
        { kind: 'sign_up', email: parsed.data, fullName, language: lang },
        now,
      );
      return reply.redirect(checkInbox, 303);
    },
  );

  app.get('/register/sign-in', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const notice = isNotice(request.query.notice) ? request.query.notice : undefined;
    return sendSitePage(
      reply,
      site,
      '/register/sign-in',
      signInPage(site, { formToken: guard.issueToken(), ...(notice ? { notice } : {}) }),
    );
  });

  app.post(
    '/register/sign-in',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const site = formSiteState(request, body);
      const { lang } = site;
      const email = formValue(body, 'email') ?? '';
      const rerender = (
        status: FormRejection['status'],
        problem: { emailError?: string; formError?: string },
      ) =>
        sendSitePage(
          reply,
          site,
          '/register/sign-in',
          signInPage(site, { formToken: guard.issueToken(), email, ...problem }),
          status,
        );
      const checkInbox = siteHref(site, '/register/check-inbox');
      if (isTrapFilled(body)) return reply.redirect(checkInbox, 303);
      const parsed = emailAddressSchema(lang).safeParse(email);
      if (!parsed.success) return rerender(400, { emailError: parsed.error.issues[0]?.message ?? '' });
      const now = context.now();
      const rejection = await guard.check({ body, address: request.ip, lang, now }, reply);
      if (rejection) return rerender(rejection.status, { formError: rejection.formError });
      await requestRegistrationLink(
        { db, jobs },
        { kind: 'sign_in', email: parsed.data, language: lang },
        now,
      );
      // The same answer whether or not the address has an account.
      return reply.redirect(checkInbox, 303);
    },
  );

  app.get(
    '/register/check-inbox',
    { schema: { hide: true, querystring: pageQuery } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      return sendMessage(reply, site, {
        title: TEXT.checkInboxTitle[site.lang],
        text: TEXT.checkInboxText[site.lang],
      });
    },
  );

  const brokenLink = (site: SiteState, reason: 'invalid' | 'expired' | 'used'): MessageOptions => ({
    title: TEXT.linkInvalidTitle[site.lang],
    text: (reason === 'expired' ? TEXT.linkExpired : reason === 'used' ? TEXT.linkUsed : TEXT.linkInvalid)[
      site.lang
    ],
    offerNewLink: true,
  });

  // Opening the link only shows a page: mail scanners that fetch links must not sign anyone in.
  app.get('/register/link', { schema: { hide: true, querystring: linkQuery } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const linkId = linkIdOf(signer, request.query.token);
    const check = linkId
      ? await checkRegistrationLink(db, linkId, context.now())
      : ({ ok: false, reason: 'invalid' } as const);
    if (!check.ok) return sendMessage(reply, site, brokenLink(site, check.reason), 400);
    return sendMessage(reply, site, {
      title: TEXT.linkTitle[site.lang],
      text: TEXT.linkText[site.lang],
      action: {
        url: '/register/link',
        label: TEXT.linkButton[site.lang],
        fields: { token: request.query.token ?? '', lang: site.lang },
      },
    });
  });

  app.post(
    '/register/link',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const site = formSiteState(request, request.body);
      const linkId = linkIdOf(signer, formValue(request.body, 'token'));
      const now = context.now();
      const used = linkId
        ? await useRegistrationLink(db, linkId, now)
        : ({ ok: false, reason: 'invalid' } as const);
      if (!used.ok) return sendMessage(reply, site, brokenLink(site, used.reason), 400);
      const created = await createRegistrationSession(db, used.accountId, now);
      reply.setCookie(REGISTRATION_COOKIE, created.token, {
        path: '/register',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        expires: created.expiresAt,
      });
      return reply.redirect(accountUrl(site), 303);
    },
  );

  accountAction('/register/sign-out', async (posted, _body, reply) => {
    const token = reply.request.cookies[REGISTRATION_COOKIE];
    if (token) await deleteRegistrationSession(db, token);
    reply.clearCookie(REGISTRATION_COOKIE, { path: '/register' });
    return { location: siteHref(posted.site, '/register/sign-in?notice=signed_out') };
  });

  // --- The account page -------------------------------------------------------------------------

  app.get('/register/account', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const session = await sessionOf(request);
    if (!session) return reply.redirect(siteHref(site, '/register/sign-in'), 303);
    const notice = isNotice(request.query.notice) ? request.query.notice : undefined;
    return renderAccount(reply, site, session, {
      plan: planOf(request.query.plan),
      ...(notice ? { notice } : {}),
    });
  });

  // --- The account's own data (Art. 15, 17, 20; issue 13) -----------------------------------------

  /** The signed-in account as the rights operations need it; null sends the visitor to sign in. */
  async function subjectOf(session: RegistrationSession, site: SiteState) {
    const overview = await getRegistrationOverview(db, session.accountId, context.now());
    if (!overview) throw new AppError(401, 'not_signed_in', 'Sign in first.');
    return { accountId: session.accountId, email: overview.email, language: site.lang };
  }

  app.get('/register/account/data', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const session = await sessionOf(request);
    if (!session) return reply.redirect(siteHref(site, '/register/sign-in'), 303);
    const data = await exportRegistrationAccount(db, await subjectOf(session, site), context.now());
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', 'attachment; filename="mailissa-my-data.json"');
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  });

  app.get(
    '/register/account/data.html',
    { schema: { hide: true, querystring: pageQuery } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const session = await sessionOf(request);
      if (!session) return reply.redirect(siteHref(site, '/register/sign-in'), 303);
      const data = await exportRegistrationAccount(db, await subjectOf(session, site), context.now());
      reply.header('cache-control', 'no-store');
      return reply.type('text/html; charset=utf-8').send(renderExportHtml(data, site.lang, request.cspNonce));
    },
  );

  // The organisation's configuration and history once its subscription has ended: its administrators
  // can no longer sign in to the portal, so its buyer exports it here until it is deleted (decision 165).
  app.get('/register/account/organisation-data', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    const session = await sessionOf(request);
    if (!session) return reply.redirect(siteHref(site, '/register/sign-in'), 303);
    const now = context.now();
    const ended = await findEndedTenancy(db, session.accountId, now, config.rights.tenancyDeletionDays);
    if (!ended) throw new AppError(404, 'not_found', TEXT.organisationUnavailable[site.lang]);
    const data = await withTenant(db, ended.tenantId, (tx) =>
      exportSubjectData(tx, { by: 'tenantId', value: ended.tenantId }, now),
    );
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', 'attachment; filename="mailissa-organisation.json"');
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  });

  accountAction('/register/account/name', async ({ session, site }, body, reply) => {
    const value = (formValue(body, 'full_name') ?? '').trim();
    const error =
      value === '' ? TEXT.nameRequired[site.lang] : value.length > 200 ? TEXT.nameTooLong[site.lang] : null;
    if (error) {
      await renderAccount(reply, site, session, { plan: null, nameForm: { value, error } }, 400);
      return REPLIED;
    }
    await saveAccountName(db, session.accountId, value);
    return 'name_saved';
  });

  // Art. 16 for the sign-in address: the new one is taken only once the link mailed to it is used.
  accountAction('/register/account/email', async ({ session, site }, body, reply) => {
    const value = (formValue(body, 'email') ?? '').trim();
    const rerender = async (status: 400 | 409, error: string): Promise<typeof REPLIED> => {
      await renderAccount(reply, site, session, { plan: null, emailForm: { value, error } }, status);
      return REPLIED;
    };
    const parsed = emailAddressSchema(site.lang).safeParse(value);
    if (!parsed.success) return rerender(400, parsed.error.issues[0]?.message ?? '');
    const overview = await getRegistrationOverview(db, session.accountId, context.now());
    if (!overview) throw new AppError(401, 'not_signed_in', 'Sign in first.');
    let token: string;
    try {
      ({ token } = await requestEmailChange(
        db,
        { accountId: session.accountId, newEmail: parsed.data, language: site.lang },
        context.now(),
      ));
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'email_taken') return rerender(409, TEXT.emailTaken[site.lang]);
      if (error.code === 'invalid_request') return rerender(400, TEXT.emailSame[site.lang]);
      throw error;
    }
    const url = new URL('/register/account/email/confirm', config.publicBaseUrl);
    url.searchParams.set('token', token);
    url.searchParams.set('lang', site.lang);
    try {
      await mail.send(
        composeEmailChangeMail({
          kind: 'confirm',
          to: parsed.data,
          name: overview.fullName,
          lang: site.lang,
          url: url.toString(),
        }),
      );
    } catch (error) {
      // A link nobody received must not wait for 24 hours: the buyer simply asks again.
      await db.query('delete from registration_email_changes where token_hash = $1', [
        emailChangeTokenHash(token),
      ]);
      throw error;
    }
    return 'email_link_sent';
  });

  const emailChangeBroken = (site: SiteState): MessageOptions => ({
    title: TEXT.linkInvalidTitle[site.lang],
    text: TEXT.emailChangeInvalid[site.lang],
  });

  // Opening the link only shows a page: a mail scanner that fetches it must not change the address.
  app.get(
    '/register/account/email/confirm',
    { schema: { hide: true, querystring: linkQuery } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const token = request.query.token ?? '';
      const change = token ? await findEmailChange(db, token, context.now()) : null;
      if (!change) return sendMessage(reply, site, emailChangeBroken(site), 400);
      reply.header('cache-control', 'no-store');
      return sendMessage(reply, site, {
        title: TEXT.emailChangeTitle[site.lang],
        text: TEXT.emailChangeText[site.lang].replace('{email}', change.newEmail),
        action: {
          url: '/register/account/email/confirm',
          label: TEXT.emailChangeButton[site.lang],
          fields: { token, lang: site.lang },
        },
      });
    },
  );

  // Using the link proves control of the new address; the session that asked proved the account.
  app.post(
    '/register/account/email/confirm',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const site = formSiteState(request, request.body);
      const token = formValue(request.body, 'token') ?? '';
      const changed = token ? await confirmEmailChange(db, token, context.now()) : null;
      if (!changed) return sendMessage(reply, site, emailChangeBroken(site), 400);
      try {
        await mail.send(
          composeEmailChangeMail({
            kind: 'changed',
            to: changed.oldEmail,
            name: changed.fullName,
            lang: changed.language,
            newEmail: changed.newEmail,
          }),
        );
      } catch (error) {
        // The change stands (the holder of the new address confirmed it); the notice is best effort.
        request.log.error({ err: error }, 'sending the notice of an e-mail change failed');
      }
      return sendMessage(reply, site, {
        title: TEXT.emailChangedTitle[site.lang],
        text: TEXT.emailChangedText[site.lang].replace('{email}', changed.newEmail),
      });
    },
  );

  accountAction(
    '/register/account/delete',
    async ({ session, site }, body, reply) => {
      if (formValue(body, 'confirm') !== 'yes') return 'delete_unconfirmed';
      const erased = await eraseRegistrationAccount(db, await subjectOf(session, site), context.now());
      // The account's sessions went with it (cascade); the browser forgets the cookie too.
      reply.clearCookie(REGISTRATION_COOKIE, { path: '/register' });
      const kept = erased.outcomes
        .filter((outcome) => outcome.action !== 'erased' && outcome.reason)
        .map((outcome) =>
          TEXT.deletedKept[site.lang]
            .replace('{table}', outcome.table)
            .replace('{reason}', outcome.reason?.[site.lang] ?? ''),
        );
      await sendMessage(reply, site, {
        title: TEXT.deletedTitle[site.lang],
        text: [TEXT.deletedText[site.lang], ...kept].join(' '),
      });
      return REPLIED;
    },
    { notices: { subscription_still_live: 'subscription_still_live' } },
  );

  accountAction(
    '/register/company',
    async ({ session, site }, body, reply) => {
      const values = Object.fromEntries(
        COMPANY_FIELDS.map((name) => [name, formValue(body, name) ?? '']),
      ) as Record<CompanyField, string>;
      const parsed = companyDataSchema(site.lang).safeParse(values);
      if (!parsed.success) {
        const errors: Partial<Record<CompanyField, string>> = {};
        for (const issue of parsed.error.issues) {
          const name = issue.path[0];
          if (typeof name === 'string' && (COMPANY_FIELDS as readonly string[]).includes(name))
            errors[name as CompanyField] ??= issue.message;
        }
        await renderAccount(reply, site, session, { plan: null, companyForm: { values, errors } }, 400);
        return REPLIED;
      }
      await saveCompanyData(db, session.accountId, parsed.data, context.now());
      return 'company_saved';
    },
    { bodyLimit: 16 * 1024 },
  );

  /** Buying or a trial needs the tenant connected and the company data saved first. */
  const NEEDS_TENANT_AND_COMPANY = {
    tenant_not_connected: 'trial_needs',
    company_data_missing: 'trial_needs',
  } as const;

  accountAction(
    '/register/trial',
    async ({ session }, body) => {
      const plan = planOf(formValue(body, 'plan'));
      if (!plan) throw new AppError(400, 'invalid_request', 'plan: choose team, transfer or suite.');
      await startTrial(db, session.accountId, plan, context.now());
      return 'trial_started';
    },
    {
      notices: {
        trial_already_used: 'trial_already_used',
        ...NEEDS_TENANT_AND_COMPANY,
        // The page shows who holds it.
        subscription_exists: null,
      },
    },
  );

  accountAction('/register/trial/cancel', async ({ session }) => {
    await cancelTrial(db, session.accountId, context.now());
    // This process forgets its cached sign-ins at once; the others hear it from PostgreSQL.
    context.tenantConfig.invalidate(null);
    return 'trial_cancelled';
  });

  // --- Buying, the paid subscription and invoices (billing/) ---------------------------------------

  const providerOf = () => {
    if (!billing?.provider) throw new AppError(503, 'payments_not_configured', 'Payments are not available.');
    return { provider: billing.provider, checkVat: billing.checkVat };
  };
  const seatsOf = (body: FormBody) => Number.parseInt(formValue(body, 'seats') ?? '', 10);

  accountAction(
    '/register/checkout',
    async ({ session, site }, body) => {
      const { provider, checkVat } = providerOf();
      const { plan, interval } = planChoice(formValue(body, 'plan'), formValue(body, 'interval'));
      const payment = formValue(body, 'payment') ?? 'provider_page';
      if (payment !== 'provider_page' && payment !== 'bank_transfer')
        throw new AppError(400, 'invalid_request', 'payment: choose provider_page or bank_transfer.');
      const checkout = await startCheckout(
        {
          db,
          provider,
          checkVat,
          publicBaseUrl: config.publicBaseUrl,
          bankTransfer: config.accounting.bankTransfer,
        },
        { accountId: session.accountId, plan, interval, seats: seatsOf(body), lang: site.lang, payment },
        context.now(),
      );
      return { location: checkout.url };
    },
    {
      notices: {
        vat_check_unavailable: 'vat_pending',
        vat_id_invalid: 'vat_invalid',
        subscription_exists: 'already_paid',
        ...NEEDS_TENANT_AND_COMPANY,
      },
    },
  );

  accountAction(
    '/register/seats',
    async ({ session }, body) => {
      await changeSeats({ db, provider: providerOf().provider }, session.accountId, seatsOf(body));
      return 'seats_changed';
    },
    { notices: { seats_below_assigned: 'seats_below_assigned' } },
  );

  // Plan and term switches (decision 118), prorated as the provider computes them.
  accountAction(
    '/register/plan',
    async ({ session }, body) => {
      const choice = planChoice(formValue(body, 'plan'), formValue(body, 'interval'));
      await changePlan({ db, provider: providerOf().provider }, session.accountId, choice);
      return 'plan_changed';
    },
    { notices: { plan_unchanged: 'plan_unchanged', seats_below_assigned: 'modules_still_assigned' } },
  );

  // The provider's page for a new card or IBAN; it sends the buyer back to the account page.
  accountAction('/register/payment-method', async ({ session, site }) => ({
    location: await paymentMethodPage(
      { db, provider: providerOf().provider, publicBaseUrl: config.publicBaseUrl },
      session.accountId,
      site.lang,
    ),
  }));

  for (const [path, cancel] of [
    ['/register/subscription/cancel', true],
    ['/register/subscription/resume', false],
  ] as const) {
    accountAction(path, async ({ session }) => {
      await setCancelAtPeriodEnd({ db, provider: providerOf().provider }, session.accountId, cancel);
      return cancel ? 'cancel_scheduled' : 'cancel_revoked';
    });
  }

  // An invoice's PDF, for the account it was issued to (invoices outlive the tenant's subscription).
  app.get(
    '/register/invoices/:file',
    { schema: { hide: true, params: z.object({ file: z.string().max(60) }) } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const session = await sessionOf(request);
      if (!session) return reply.redirect(siteHref(site, '/register/sign-in'), 303);
      const id = /^([0-9a-f-]{36})\.pdf$/.exec(request.params.file)?.[1];
      const found = id
        ? await db.query<{ number: string; pdf: Buffer }>(
            'select number, pdf from invoices where id = $1 and account_id = $2',
            [id, session.accountId],
          )
        : { rows: [] };
      const invoice = found.rows[0];
      if (!invoice) throw new AppError(404, 'invoice_not_found', 'No such invoice of your account.');
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="Mailissa-${invoice.number}.pdf"`)
        .type('application/pdf')
        .send(invoice.pdf);
    },
  );

  // --- Microsoft: connecting the tenant, and admin consent ----------------------------------------

  const setPendingMicrosoft = (reply: FastifyReply, pending: z.infer<typeof pendingMicrosoftSchema>) =>
    reply.setCookie(MICROSOFT_COOKIE, JSON.stringify(pending), {
      path: '/register',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      signed: true,
      maxAge: MICROSOFT_COOKIE_MAX_AGE_SECONDS,
    });

  /** The pending Microsoft round trip of this browser and this session, consumed once. */
  function takePendingMicrosoft(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'connect' | 'consent',
    session: RegistrationSession,
    state: string | undefined,
  ) {
    const pending = takeSignedJsonCookie(
      request,
      reply,
      { name: MICROSOFT_COOKIE, path: '/register' },
      pendingMicrosoftSchema,
    );
    if (
      !pending ||
      pending.kind !== kind ||
      pending.accountId !== session.accountId ||
      pending.state !== state
    ) {
      return null;
    }
    return pending;
  }

  accountAction('/register/microsoft', async ({ session }, _body, reply) => {
    const pending = newPendingLogin();
    setPendingMicrosoft(reply, { kind: 'connect', accountId: session.accountId, ...pending });
    // Any organisation's work account: the buyer's tenant is whatever tenant they sign in to.
    return { location: oidc.authorizeUrl('organizations', pending) };
  });

  app.get(
    '/register/microsoft/callback',
    { schema: { hide: true, querystring: signInCallbackQuery } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const session = await sessionOf(request);
      if (!session) return reply.redirect(siteHref(site, '/register/sign-in?notice=session_ended'), 303);
      const pending = takePendingMicrosoft(request, reply, 'connect', session, request.query.state);
      if (!pending || request.query.error || !request.query.code) {
        return reply.redirect(accountUrl(site, 'connect_cancelled'), 303);
      }
      let identity: Awaited<ReturnType<typeof oidc.redeemCode>>;
      try {
        identity = await oidc.redeemCode('organizations', request.query.code, pending);
      } catch (error) {
        if (isAppError(error) && error.status < 500) {
          request.log.info({ code: error.code, detail: error.detail }, 'connecting Microsoft 365 refused');
          return reply.redirect(accountUrl(site, 'connect_cancelled'), 303);
        }
        throw error;
      }
      const outcome = await connectTenant(
        db,
        session.accountId,
        { microsoftTenantId: identity.tenantId, email: identity.email },
        context.now(),
      );
      if (outcome.outcome === 'account_has_subscription')
        return reply.redirect(accountUrl(site, 'account_has_subscription'), 303);
      if (outcome.outcome === 'held_by_other') {
        // Not bound; the page names the holder (masked) from the attempt, so it is shown once here.
        const overview = await getRegistrationOverview(db, session.accountId, context.now());
        if (!overview) throw new AppError(401, 'not_signed_in', 'Sign in first.');
        const page = accountPage(site, overview, { csrf: csrfOf(session), plan: null });
        const notice = outcome.maskedEmail
          ? TEXT.heldBy[site.lang].replace('{email}', outcome.maskedEmail)
          : TEXT.heldByUnknown[site.lang];
        reply.header('cache-control', 'no-store');
        return sendSitePage(
          reply,
          site,
          '/register/account',
          {
            title: page.title,
            main: html`<div class="wrap page narrow"><p class="form-error" role="alert">${notice}</p></div>${page.main}`,
          },
          409,
        );
      }
      return reply.redirect(accountUrl(site, 'connected'), 303);
    },
  );

  accountAction('/register/consent', async ({ session }, _body, reply) => {
    const overview = await getRegistrationOverview(db, session.accountId, context.now());
    const tenant = overview?.tenant;
    if (!tenant) return 'trial_needs';
    const pending = newPendingLogin();
    setPendingMicrosoft(reply, { kind: 'consent', accountId: session.accountId, ...pending });
    // Microsoft's admin consent endpoint (docs/microsoft-365.md §2.9): a global administrator of
    // the tenant grants the application permissions the app registration lists.
    const url = new URL(`${config.entra.authorityBase}/${tenant.microsoftTenantId}/v2.0/adminconsent`);
    url.search = new URLSearchParams({
      client_id: config.entra.clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: consentRedirectUri,
      state: pending.state,
    }).toString();
    return { location: url.toString() };
  });

  app.get(
    '/register/consent/callback',
    { schema: { hide: true, querystring: adminConsentCallbackQuery } },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const session = await sessionOf(request);
      if (!session) return reply.redirect(siteHref(site, '/register/sign-in?notice=session_ended'), 303);
      const pending = takePendingMicrosoft(request, reply, 'consent', session, request.query.state);
      const { admin_consent: granted, tenant, error } = request.query;
      if (!pending || error || granted?.toLowerCase() !== 'true' || !tenant) {
        return reply.redirect(accountUrl(site, 'consent_declined'), 303);
      }
      const recorded = await recordAdminConsent(db, session.accountId, tenant.toLowerCase(), context.now());
      return reply.redirect(accountUrl(site, recorded ? 'consent_granted' : 'consent_wrong_tenant'), 303);
    },
  );
};
