import type { Role } from '@mailissa/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import {
  findWebSession,
  type OperatorSession,
  type PortalSession,
  type SessionApp,
  type WebSession,
} from './web-session.store.js';

declare module 'fastify' {
  interface FastifyRequest {
    webSession?: WebSession;
  }
}

export function sessionCookieName(app: SessionApp): string {
  return `mailissa_${app}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated requests that change state must prove they come from our own pages: the
 * browser's `Sec-Fetch-Site`/`Origin` must not name another site (http/same-origin.ts), and our front
 * ends send `X-Requested-With: mailissa`, which a cross-site form cannot set and a cross-site fetch
 * cannot send without a CORS preflight we never grant. SameSite=Lax is the first wall.
 */
export function assertSameSiteRequest(request: FastifyRequest, publicBaseUrl: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  assertNotCrossSite(request, publicBaseUrl, 'csrf_check_failed');
  if (request.headers['x-requested-with'] !== 'mailissa') {
    throw new AppError(
      403,
      'csrf_check_failed',
      'This request must come from a Mailissa page (X-Requested-With missing).',
    );
  }
}

export function createSessionAuthenticator(deps: { db: Database; config: Config; now: () => Date }) {
  function forApp(app: SessionApp) {
    return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
      const token = request.cookies?.[sessionCookieName(app)];
      if (!token) throw new AppError(401, 'not_signed_in', 'Sign in first.');
      const session = await findWebSession(deps.db, app, token, deps.now(), deps.config.session.idleMinutes, {
        touch: true,
      });
      if (!session) throw new AppError(401, 'session_ended', 'Your session has ended; sign in again.');
      assertSameSiteRequest(request, deps.config.publicBaseUrl);
      request.webSession = session;
    };
  }
  return { authenticatePortalSession: forApp('portal'), authenticateOperatorSession: forApp('operator') };
}

/** The portal session of a route guarded by `context.authenticateSession`. */
export function requireSession(request: FastifyRequest): PortalSession {
  const session = request.webSession;
  if (session?.app !== 'portal') throw new AppError(401, 'not_signed_in', 'Sign in first.');
  return session;
}

/** The operator session of a route guarded by `context.authenticateOperator`. */
export function requireOperatorSession(request: FastifyRequest): OperatorSession {
  const session = request.webSession;
  if (session?.app !== 'operator') throw new AppError(401, 'not_signed_in', 'Sign in first.');
  return session;
}

/** Portal routes for administrators only. */
export function requireAdministrator(request: FastifyRequest): PortalSession {
  const session = requireSession(request);
  if (session.roles.length === 0) {
    throw new AppError(
      403,
      'administrators_only',
      'Only administrators of your organisation can open this page.',
    );
  }
  return session;
}

/**
 * Portal routes for one admin role: user administrators manage users, licences and who sees which
 * target; tenant administrators manage targets, connectors, categories, teams, settings and roles.
 * The 403 names the role that is missing, so the portal can say whom to ask.
 */
export function requireRole(request: FastifyRequest, role: Role): PortalSession {
  const session = requireSession(request);
  if (!session.roles.includes(role)) {
    throw new AppError(
      403,
      role === 'user_administrator' ? 'user_administrator_required' : 'tenant_administrator_required',
      role === 'user_administrator'
        ? 'Only user administrators of your organisation can do this.'
        : 'Only tenant administrators of your organisation can do this.',
    );
  }
  return session;
}
