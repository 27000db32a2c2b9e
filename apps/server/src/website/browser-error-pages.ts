import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { renderPage } from './layout.js';
import { errorPage, errorPageMessage } from './pages/error-page.js';
import { readSiteState } from './site-state.js';

/**
 * Paths whose errors are always the JSON error body: the APIs (bearer and session), and the
 * emulators, which answer in Microsoft's own shapes.
 */
const JSON_ONLY_PREFIXES = ['/api/', '/portal/api/', '/operator/api/', '/auth/session', '/emulator'];

/** A path the error page may link back to (language switch, the cookie banner's return). */
const SAFE_PATH = /^\/(?!\/)[A-Za-z0-9\-._~/]{0,200}$/;

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}

/** A browser navigating to a page says so in `Accept`; `fetch` and API clients do not. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('text/html');
}

function isJsonOnly(path: string): boolean {
  return JSON_ONLY_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}

function appendVary(reply: FastifyReply, field: string): void {
  const current = String(reply.getHeader('vary') ?? '');
  const fields = current
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (!fields.some((value) => value.toLowerCase() === field.toLowerCase())) fields.push(field);
  reply.header('vary', fields.join(', '));
}

/**
 * Every error leaves the server as the one JSON body (http/error-handler.ts). When a browser navigates
 * to a page outside the APIs — an unknown URL, a blocked address, a page that failed — it gets the
 * website's error page instead, in the visitor's language, with the same status. Converting the body
 * here, in one place, covers every source of errors: the error and not-found handlers, the rate limit
 * and the block, whichever plugin raised them.
 */
export function installBrowserErrorPages(app: FastifyInstance, config: Config): void {
  // A callback hook: nearly every response passes untouched, and an async hook would cost each a promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    done(null, asBrowserErrorPage(request, reply, payload));
  });

  function asBrowserErrorPage(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    if (reply.statusCode < 400) return payload;
    const path = pathOf(request);
    if (isJsonOnly(path)) return payload;
    // The same URL answers JSON or HTML by Accept: caches must keep them apart.
    appendVary(reply, 'Accept');
    if (!wantsHtml(request) || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    const site = readSiteState(request, config);
    const status = reply.statusCode;
    const document = renderPage({
      lang: site.lang,
      langInLinks: site.langInLinks,
      consent: site.consent,
      path: SAFE_PATH.test(path) ? path : '/',
      ...errorPage(site.lang, status, errorPageMessage(site.lang, status)),
    });
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').removeHeader('content-length');
    appendVary(reply, 'Accept-Language');
    appendVary(reply, 'Cookie');
    return document.value;
  }
}
