import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';

/**
 * Security headers for every response. One strict Content Security Policy for the server-rendered
 * website (no inline script or style at all), a slightly wider one for the React front ends (Fluent
 * UI inserts its styles at runtime, and they talk to Entra ID and Graph), and framing allowed only
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

/** Where Office.js is loaded from in a real Office host. */
const OFFICE_JS_ORIGIN = 'https://appsforoffice.microsoft.com';

const APP_PREFIXES = ['/addin', '/portal', '/operator', '/register', '/emulator'];
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

/** The Content-Security-Policy for a request path. */
export function contentSecurityPolicy(path: string, config: Config, overTls: boolean): string {
  const isApp = APP_PREFIXES.some((prefix) => hasPrefix(path, prefix));
  const microsoft = [originOf(config.entra.authorityBase), originOf(config.graphBaseUrl)].filter(
    (origin): origin is string => origin !== null && origin !== originOf(config.publicBaseUrl),
  );
  const unique = (values: string[]) => [...new Set(values)].join(' ');
  const directives: string[] = [
    `default-src 'self'`,
    `script-src ${unique(["'self'", ...(isAddinPath(path) ? [OFFICE_JS_ORIGIN] : [])])}`,
    // Fluent UI (Griffel) injects style rules at runtime; the website has none and stays strict.
    `style-src ${isApp ? "'self' 'unsafe-inline'" : "'self'"}`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src ${unique(["'self'", ...(isApp ? microsoft : [])])}`,
    `frame-src ${unique(["'self'", ...(isApp ? microsoft : [])])}`,
    `form-action 'self'`,
    `base-uri 'none'`,
    `object-src 'none'`,
    `frame-ancestors ${isAddinPath(path) ? unique(["'self'", ...OFFICE_FRAME_ANCESTORS]) : "'none'"}`,
  ];
  if (overTls) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

function requestPath(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}

export async function installSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    // Set per path below.
    contentSecurityPolicy: false,
    frameguard: false,
    hsts: false,
    // MSAL's sign-in popup must be able to report back to its opener.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    crossOriginEmbedderPolicy: false,
    // Set per path below: Office hosts load the add-in's icons from another origin.
    crossOriginResourcePolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xContentTypeOptions: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = requestPath(request);
    const overTls = request.protocol === 'https';
    reply.header('content-security-policy', contentSecurityPolicy(path, config, overTls));
    if (isAddinPath(path)) {
      reply.header('cross-origin-resource-policy', 'cross-origin');
    } else {
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-resource-policy', 'same-origin');
    }
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (overTls)
      reply.header('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`);
  });
}
