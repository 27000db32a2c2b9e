import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
// undici 6, the major Node 20 bundles for its own fetch: loading undici sets the process-wide
// dispatcher that global fetch uses, and a newer major's dispatcher makes Node's fetch refuse every
// request with an explicit Content-Length (the Stripe SDK's, for one). Keep the majors equal.
import { Agent, type Dispatcher, fetch as undiciFetch } from 'undici';
import { AppError } from '../../errors/app-error.js';

/**
 * The SSRF guard for every URL a customer enters (decision 060). A host is resolved, and every address
 * it resolves to must be ordinary public unicast: loopback, private, link-local (the cloud metadata
 * service), carrier-grade NAT, multicast, unspecified, reserved, IPv4-mapped, NAT64, 6to4, Teredo
 * and the rest of ipaddr.js's special ranges are refused. The connection then goes to the address
 * that was checked (the Agent's own lookup checks again and hands net.connect the checked address),
 * so a name that resolves differently a moment later (DNS rebinding) gains nothing. Redirects are
 * followed here, hop by hop, each checked the same way.
 */

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export interface GuardOptions {
  /** Origins reached without the check: the local emulators in demo mode and tests; empty in production. */
  allowedOrigins: readonly string[];
  /** Replaces DNS in tests. */
  resolve?: ResolveHost;
  maxRedirects?: number;
  /** Milliseconds until the connection, the response headers, or the next body chunk must arrive. */
  timeouts?: { connect: number; headers: number; body: number };
}

export interface ConnectorNetwork {
  fetch: typeof fetch;
  /** Refuses (AppError 400 `target_address_refused`) a URL the guarded fetch would not reach. */
  checkUrl(url: string, field: string): Promise<void>;
}

const REFUSED = 'TARGET_ADDRESS_REFUSED';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const defaultResolve: ResolveHost = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** `ipaddr.js` names every special range; only plain unicast is somewhere a customer's system can be. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  return parsed.range() === 'unicast';
}

function refused(what: string, field = 'url'): AppError {
  return new AppError(
    400,
    'target_address_refused',
    `${field}: ${what} is a private, local or reserved network address, which Mailissa does not connect to.`,
  );
}

/** The host as net.connect sees it: URL keeps IPv6 literals in brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Why a URL may not be reached, or null. WHATWG URL parsing has already turned decimal, octal and
 * hex IPv4 forms (`2130706433`, `0177.0.0.1`, `0x7f.1`) into dotted quads, so they meet the same check.
 */
async function problemWith(url: URL, options: GuardOptions, resolve: ResolveHost): Promise<string | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${url.protocol}" URLs are not allowed`;
  if (options.allowedOrigins.includes(url.origin)) return null;
  const host = bareHost(url);
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? null : `${host}`;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return null; // an unknown name fails at connect with a clear "unreachable"
  }
  const bad = addresses.find((entry) => !isPublicAddress(entry.address));
  return bad ? `${host} (${bad.address})` : null;
}

/** The Agent's DNS: resolves, refuses anything non-public, returns only checked addresses. */
function checkingLookup(resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((entry) => !isPublicAddress(entry.address));
        if (bad || addresses.length === 0) {
          const error = Object.assign(new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}`), {
            code: REFUSED,
          });
          callback(error, '', 4);
          return;
        }
        if (options.all) callback(null, addresses);
        else {
          const first = addresses[0] as LookupAddress;
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_INVALID_STATE') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Network failures in our own words: refused (400, permanent), timeouts and unreachable (transient). */
function networkFailure(error: unknown, url: URL): AppError {
  if (error instanceof AppError) return error;
  const code = causeCode(error);
  if (code === REFUSED) return refused(url.hostname);
  const timeout = code?.includes('TIMEOUT') || code === 'ETIMEDOUT';
  return new AppError(
    timeout ? 503 : 502,
    timeout ? 'target_timeout' : 'target_unreachable',
    timeout
      ? `The target system at ${url.host} did not answer in time.`
      : `The target system at ${url.host} could not be reached.`,
    { detail: code },
  );
}

type FetchInput = Parameters<typeof fetch>[0];
type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;

/** Builds the guarded fetch and its URL check (one set of Agents per process). */
export function createConnectorNetwork(options: GuardOptions): ConnectorNetwork {
  const resolve = options.resolve ?? defaultResolve;
  const timeouts = options.timeouts ?? { connect: 10_000, headers: 60_000, body: 60_000 };
  const agentOptions = {
    headersTimeout: timeouts.headers,
    bodyTimeout: timeouts.body,
    connectTimeout: timeouts.connect,
  };
  const guarded = new Agent({ ...agentOptions, connect: { lookup: checkingLookup(resolve) } });
  const trusted = new Agent(agentOptions);
  const maxRedirects = options.maxRedirects ?? 5;

  async function hop(url: URL, init: FetchInit): Promise<Response> {
    const problem = await problemWith(url, options, resolve);
    if (problem) throw refused(problem);
    const dispatcher: Dispatcher = options.allowedOrigins.includes(url.origin) ? trusted : guarded;
    try {
      const response = await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        redirect: 'manual',
        dispatcher,
      });
      return response as unknown as Response;
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw networkFailure(error, url);
    }
  }

  const guardedFetch = async (input: FetchInput, init: FetchInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('the guarded fetch takes a URL, not a Request');
    let url = new URL(input);
    let current: FetchInit = { ...init };
    for (let redirects = 0; ; redirects++) {
      const response = await hop(url, current);
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || !location || init.redirect === 'manual') return response;
      await response.body?.cancel();
      if (init.redirect === 'error' || redirects >= maxRedirects) {
        throw new AppError(
          502,
          'target_protocol_error',
          `The target system at ${url.host} redirected too often.`,
        );
      }
      const next = new URL(location, url);
      const method = (current.method ?? 'GET').toUpperCase();
      const becomesGet =
        (response.status === 303 && method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && method === 'POST');
      if (!becomesGet && current.body instanceof ReadableStream) {
        // A streamed body cannot be sent twice; the target's URL should name the final place.
        throw new AppError(
          502,
          'target_protocol_error',
          `The target system at ${url.host} redirected an upload; enter the final address.`,
        );
      }
      const headers = new Headers(current.headers);
      if (next.origin !== url.origin) headers.delete('authorization');
      if (becomesGet) {
        headers.delete('content-type');
        headers.delete('content-length');
      }
      current = becomesGet
        ? { ...current, method: 'GET', body: undefined, headers }
        : { ...current, headers };
      url = next;
    }
  };

  return {
    fetch: guardedFetch as typeof fetch,
    async checkUrl(raw, field) {
      if (!URL.canParse(raw)) throw new AppError(400, 'invalid_settings', `${field}: is not a URL`);
      const problem = await problemWith(new URL(raw), options, resolve);
      if (problem) throw refused(problem, field);
    },
  };
}
