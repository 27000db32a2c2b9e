import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../config/config.js';

/**
 * Security headers for every response. One strict Content Security Policy for the server-rendered
 * website (no inline script or style at all), a slightly wider one for the React front ends (they
 * talk to Entra ID and Graph, and Fluent UI inserts its styles at runtime, each `<style>` carrying
 * the response's nonce — docs/decisions/016-csp-nonce-and-error-pages.md), and framing allowed only
 * for the add-in's pages, which Outlook hosts in a frame. HSTS only over TLS (direct, or as reported
 * by the trusted proxy), since a browser ignores it over plain HTTP and it would lock out demo use.
 */

/** Origins of Office hosts that frame the add-in's task pane (Outlook on the web, new Outlook, desktop). */
export const OFFICE_FRAME_ANCESTORS = [
  'https://*.officeapps.live.com',
  'https://*.officeapps-df.live.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.live.com',
  'https://*.outlook.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft.com',
  'https://*.cloud.microsoft',
];

/** Stripe's hosted pages (Checkout, the customer portal) that an account form of ours redirects to. */
const STRIPE_HOSTED_PAGES = ['https://checkout.stripe.com', 'https://billing.stripe.com'];

/**
 * Where a form of ours may end up after the server's redirect. Chromium and Safari check
 * `form-action` against every redirect of a form submission, not just its `action`: the registration
 * account's "connect Microsoft 365", "grant consent", "buy" and "payment method" buttons and the
 * marketplace landing post to us and are sent on to Microsoft's sign-in or Stripe's pages, which
 * `'self'` alone would block (in demo mode the emulators are on our own origin, so nothing shows).
 */
function formTargets(config: Config): string[] {
  const stripe = config.billing.stripe;
  const stripeOrigin = stripe ? originOf(stripe.apiBase) : null;
  const targets = [
    originOf(config.entra.authorityBase),
    ...(stripeOrigin === 'https://api.stripe.com' ? STRIPE_HOSTED_PAGES : [stripeOrigin]),
  ];
  const own = originOf(config.publicBaseUrl);
  return targets.filter((origin): origin is string => origin !== null && origin !== own);
}

/** Where Office.js is loaded from in a real Office host. */
const OFFICE_JS_ORIGIN = 'https://appsforoffice.microsoft.com';

/**
 * The React front ends (and, in demo mode, the emulators' pages). The registration portal is not
 * among them: it is server-rendered with the website's layout and gets the website's strict policy.
 */
const APP_PREFIXES = ['/addin', '/portal', '/operator', '/emulator'];
/** The product's own React pages: their runtime styles carry a per-response nonce. */
const NONCE_PREFIXES = ['/addin', '/portal', '/operator'];
/**
 * Server-rendered pages with one inline `<style>` of their own: the data export as a readable page
 * (rights/render-export-html.ts), self-contained so that a saved copy stays readable offline.
 */
const NONCE_PAGES = new Set(['/api/me/data.html', '/portal/api/me/data.html', '/register/account/data.html']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The nonce this response's CSP admits in `style-src`; null outside the app pages. */
    cspNonce: string | null;
  }
}
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

function hasPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function isAddinPath(path: string): boolean {
  return hasPrefix(path, '/addin');
}

/** Whether a path's pages get a style nonce (and no `'unsafe-inline'`). */
export function usesStyleNonce(path: string): boolean {
  return NONCE_PAGES.has(path) || NONCE_PREFIXES.some((prefix) => hasPrefix(path, prefix));
}

function styleSources(isApp: boolean, nonce: string | null): string {
  if (nonce) return `'self' 'nonce-${nonce}'`;
  // The emulators' pages (demo mode only) do not take a nonce; the website has no inline style at all.
  return isApp ? "'self' 'unsafe-inline'" : "'self'";
}

/** The kinds of page that get different headers; each kind's are worked out once per server. */
type PageKind = 'addin' | 'app' | 'other';

function pageKindOf(path: string): PageKind {
  if (isAddinPath(path)) return 'addin';
  return APP_PREFIXES.some((prefix) => hasPrefix(path, prefix)) ? 'app' : 'other';
}

/** The Content-Security-Policy for a request path; `nonce` admits the app pages' runtime styles. */
export function contentSecurityPolicy(
  path: string,
  config: Config,
  overTls: boolean,
  nonce: string | null = null,
): string {
  return policyFor(pageKindOf(path), config, overTls, nonce);
}

function policyFor(kind: PageKind, config: Config, overTls: boolean, nonce: string | null): string {
  const isApp = kind !== 'other';
  const isAddin = kind === 'addin';
  const microsoft = [originOf(config.entra.authorityBase), originOf(config.graphBaseUrl)].filter(
    (origin): origin is string => origin !== null && origin !== originOf(config.publicBaseUrl),
  );
  const unique = (values: string[]) => [...new Set(values)].join(' ');
  const directives: string[] = [
    `default-src 'self'`,
    `script-src ${unique(["'self'", ...(isAddin ? [OFFICE_JS_ORIGIN] : [])])}`,
    // Fluent UI (Griffel) injects style rules at runtime; the website has none and stays strict.
    `style-src ${styleSources(isApp, nonce)}`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src ${unique(["'self'", ...(isApp ? microsoft : [])])}`,
    `frame-src ${unique(["'self'", ...(isApp ? microsoft : [])])}`,
    `form-action ${unique(["'self'", ...formTargets(config)])}`,
    `base-uri 'none'`,
    `object-src 'none'`,
    `frame-ancestors ${isAddin ? unique(["'self'", ...OFFICE_FRAME_ANCESTORS]) : "'none'"}`,
  ];
  if (overTls) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

function requestPath(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

/** Stands for the nonce while a nonce page's policy is built once, then splits it around the nonce. */
const NONCE_MARK = '\u0000nonce\u0000';

/**
 * Helmet's headers for our options. None of them depends on the request, so helmet runs once, on a
 * response that is never sent, and every request gets the result: running its middleware chain per
 * request cost as much as an API call's own work.
 */
function helmetHeaders(): Record<string, string> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  helmet({
    // Set per kind of page below.
    contentSecurityPolicy: false,
    frameguard: false,
    hsts: false,
    // MSAL's sign-in popup must be able to report back to its opener.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    crossOriginEmbedderPolicy: false,
    // Set per kind of page below: Office hosts load the add-in's icons from another origin.
    crossOriginResourcePolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xContentTypeOptions: true,
  })(response.req, response, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.fromEntries(
    Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
  );
}

/** One kind of page's headers: all fixed but the policy of nonce pages, which gets its nonce spliced in. */
interface PageHeaders {
  fixed: Record<string, string>;
  /** The policy before and after the nonce. */
  policyAround: readonly [string, string];
}

/**
 * The headers of each kind of page, built once: they depend on the kind, TLS and whether there is
 * a nonce, and building a policy parses several URLs — per request that was a measurable share of
 * an API call's time.
 */
function createPageHeaders(
  config: Config,
): (kind: PageKind, overTls: boolean, nonced: boolean) => PageHeaders {
  const fromHelmet = helmetHeaders();
  const built = new Map<string, PageHeaders>();
  return (kind, overTls, nonced) => {
    const key = `${kind}|${overTls}|${nonced}`;
    let headers = built.get(key);
    if (headers) return headers;
    const policy = policyFor(kind, config, overTls, nonced ? NONCE_MARK : null);
    const [before = '', after = ''] = policy.split(NONCE_MARK);
    const fixed: Record<string, string> = {
      ...fromHelmet,
      ...(nonced ? {} : { 'content-security-policy': policy }),
      ...(kind === 'addin'
        ? { 'cross-origin-resource-policy': 'cross-origin' }
        : { 'x-frame-options': 'DENY', 'cross-origin-resource-policy': 'same-origin' }),
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
      ...(overTls
        ? { 'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains` }
        : {}),
    };
    headers = { fixed, policyAround: [before, after] };
    built.set(key, headers);
    return headers;
  };
}

export function installSecurityHeaders(app: FastifyInstance, config: Config): void {
  const headersFor = createPageHeaders(config);
  app.decorateRequest('cspNonce', null);
  app.addHook('onRequest', (request, reply, done) => {
    const path = requestPath(request);
    // 128 random bits per response, as CSP Level 3 asks of a nonce.
    const nonce = usesStyleNonce(path) ? randomBytes(16).toString('base64') : null;
    request.cspNonce = nonce;
    const headers = headersFor(pageKindOf(path), request.protocol === 'https', nonce !== null);
    reply.headers(headers.fixed);
    if (nonce !== null) {
      reply.header('content-security-policy', `${headers.policyAround[0]}${nonce}${headers.policyAround[1]}`);
    }
    done();
  });
}
