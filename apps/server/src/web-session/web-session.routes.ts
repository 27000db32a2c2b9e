import {
  keepAliveResponseSchema,
  type SignInError,
  webAppQuerySchema,
  webAppSchema,
  webSessionSchema,
} from '@mailissa/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import { takeSignedJsonCookie } from '../http/signed-json-cookie.js';
import { reportAbuse } from '../privacy/abuse-signal.js';
import { findSubscribedTenant } from '../tenancy/find-subscribed-tenant.js';
import { recordSignIn } from '../tenancy/record-sign-in.js';
import { assertSameSiteRequest, sessionCookieName } from './authenticate-session.js';
import { isOperator } from './is-operator.js';
import { createOidcClient, newPendingLogin, signInCallbackQuery } from './oidc-client.js';
import { createWebSession, deleteWebSession, findWebSession } from './web-session.store.js';

const appSchema = webAppSchema;
const LOGIN_COOKIE = 'mailissa_login';
const LOGIN_COOKIE_MAX_AGE_SECONDS = 10 * 60;

const pendingLoginSchema = z.object({
  app: appSchema,
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  returnTo: z.string(),
});

/** Only our own surface's paths: never another host (`//evil`, `https://…`) nor another surface. */
function safeReturnTo(app: 'portal' | 'operator', returnTo: string | undefined): string {
  const fallback = `/${app}/`;
  if (!returnTo) return fallback;
  if (!/^\/[a-z]/.test(returnTo) || returnTo.includes('\\') || hasWhitespaceOrControl(returnTo))
    return fallback;
  return returnTo === `/${app}` || returnTo.startsWith(`/${app}/`) || returnTo.startsWith(`/${app}?`)
    ? returnTo
    : fallback;
}

export const webSessionRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { config, db, now } = context;
  const secureCookies = config.publicBaseUrl.startsWith('https://');
  const oidc = createOidcClient({
    authorityBase: config.entra.authorityBase,
    clientId: config.entra.clientId,
    clientSecret: config.entra.clientSecret,
    redirectUri: `${config.publicBaseUrl}/auth/callback`,
    now,
  });
  const authorityTenantOf = (target: 'portal' | 'operator') =>
    // Without an operator tenant (never outside demo mode, see config) operator sign-in admits nobody.
    target === 'operator' ? (config.operator.tenantId ?? 'organizations') : 'organizations';

  app.get(
    '/auth/login',
    {
      schema: {
        tags: ['session'],
        summary: 'Starts signing in to the portal or the operator console (redirects to Microsoft)',
        querystring: z.object({
          app: appSchema,
          returnTo: z.string().max(2000).optional(),
          loginHint: z.email().optional(),
        }),
        response: { 302: z.null(), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { app: target, returnTo, loginHint } = request.query;
      const pending = newPendingLogin();
      reply.setCookie(
        LOGIN_COOKIE,
        JSON.stringify({ app: target, ...pending, returnTo: safeReturnTo(target, returnTo) }),
        {
          path: '/auth',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          signed: true,
          maxAge: LOGIN_COOKIE_MAX_AGE_SECONDS,
        },
      );
      return reply.redirect(oidc.authorizeUrl(authorityTenantOf(target), pending, loginHint), 302);
    },
  );

  app.get(
    '/auth/callback',
    {
      schema: {
        tags: ['session'],
        summary: 'Where Microsoft sends the browser back after signing in',
        querystring: signInCallbackQuery,
        response: { 303: z.null(), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const pending = takeSignedJsonCookie(
        request,
        reply,
        { name: LOGIN_COOKIE, path: '/auth' },
        pendingLoginSchema,
      );
      if (!pending) {
        throw new AppError(
          400,
          'sign_in_expired',
          'This sign-in was not started here or took too long; start again.',
        );
      }
      const backWith = (code: SignInError) => {
        // An answer that fails verification, or someone not an operator at the operator console,
        // counts towards a block; a cancelled sign-in or an unsubscribed tenant does not.
        if (code === 'sign_in_failed' || code === 'not_an_operator') reportAbuse(request, 'failed_sign_in');
        const url = new URL(pending.returnTo, config.publicBaseUrl);
        url.searchParams.set('signin_error', code);
        return reply.redirect(`${url.pathname}${url.search}`, 303);
      };
      if (request.query.error)
        return backWith(request.query.error === 'access_denied' ? 'cancelled' : 'sign_in_failed');
      if (!request.query.code || request.query.state !== pending.state) return backWith('sign_in_failed');

      try {
        const identity = await oidc.redeemCode(authorityTenantOf(pending.app), request.query.code, pending);
        let created: { token: string; expiresAt: Date };
        if (pending.app === 'operator') {
          if (!isOperator(identity, config.operator)) return backWith('not_an_operator');
          created = await createWebSession(
            db,
            { app: 'operator', operatorEmail: identity.email, displayName: identity.name },
            now(),
          );
        } else {
          const tenant = await findSubscribedTenant(db, identity.tenantId, config.registrationUrl);
          created = await withTenant(db, tenant.id, async (tx) => {
            const user = await recordSignIn(tx, tenant.id, {
              objectId: identity.objectId,
              email: identity.email,
              displayName: identity.name,
            });
            return createWebSession(
              tx,
              { app: 'portal', tenantId: tenant.id, userId: user.id, displayName: user.display_name },
              now(),
            );
          });
        }
        reply.setCookie(sessionCookieName(pending.app), created.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          expires: created.expiresAt,
        });
        return reply.redirect(pending.returnTo, 303);
      } catch (error) {
        if (isAppError(error) && error.status < 500) {
          request.log.info({ code: error.code, detail: error.detail }, 'sign-in refused');
          return backWith(error.code);
        }
        throw error;
      }
    },
  );

  app.get(
    '/auth/session',
    {
      schema: {
        tags: ['session'],
        summary: 'The current portal or operator session',
        querystring: webAppQuerySchema,
        response: { 200: webSessionSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const session = await currentSession(request, request.query.app, { touch: false });
      const idleSeconds = session.idleMinutes * 60;
      const idleExpiresAt = new Date(session.lastActivityAt.getTime() + idleSeconds * 1000);
      return {
        app: session.app,
        user:
          session.app === 'portal'
            ? {
                id: session.userId,
                displayName: session.displayName,
                email: session.email,
                roles: session.roles,
              }
            : { id: session.sessionId, displayName: session.displayName, email: session.email, roles: [] },
        tenant:
          session.app === 'portal'
            ? { id: session.tenantId, name: session.tenantName, defaultLanguage: session.defaultLanguage }
            : null,
        idleTimeoutSeconds: idleSeconds,
        idleExpiresAt: idleExpiresAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/auth/session/keepalive',
    {
      schema: {
        tags: ['session'],
        summary: 'Resets the inactivity timer ("stay signed in")',
        querystring: webAppQuerySchema,
        response: { 200: keepAliveResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      assertSameSiteRequest(request, config.publicBaseUrl);
      const session = await currentSession(request, request.query.app, { touch: false });
      const at = now();
      await db.query('update web_sessions set last_activity_at = $2 where id = $1', [session.sessionId, at]);
      return { idleExpiresAt: new Date(at.getTime() + session.idleMinutes * 60_000).toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['session'],
        summary: 'Signs out of the portal or the operator console',
        querystring: webAppQuerySchema,
        response: { 204: z.null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      assertSameSiteRequest(request, config.publicBaseUrl);
      const name = sessionCookieName(request.query.app);
      const token = request.cookies[name];
      if (token) await deleteWebSession(db, request.query.app, token);
      reply.clearCookie(name, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  async function currentSession(
    request: FastifyRequest,
    target: 'portal' | 'operator',
    options: { touch: boolean },
  ) {
    const token = request.cookies[sessionCookieName(target)];
    if (!token) throw new AppError(401, 'not_signed_in', 'Sign in first.');
    const session = await findWebSession(db, target, token, now(), config.session.idleMinutes, options);
    if (!session) throw new AppError(401, 'session_ended', 'Your session has ended; sign in again.');
    return session;
  }
};

function hasWhitespaceOrControl(value: string): boolean {
  return [...value].some(
    (char) => /\s/.test(char) || char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f,
  );
}
