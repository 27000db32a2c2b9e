import type { FastifyRequest } from 'fastify';
import type { Ipv6Prefix } from './anonymise-ip.js';
import { truncateIp } from './anonymise-ip.js';

/**
 * What a request says about its client, worked out once: behind a trusted proxy Fastify's `ip` and
 * `ips` parse `X-Forwarded-For` and check every hop on each read, and the rate limit, the block
 * check and the usage log each read them.
 */
interface Client {
  /** The client's address: the forwarded one only when it came through a proxy in TRUST_PROXY. */
  address: string;
  /** The socket peer and every forwarded address that was believed. */
  hops: number;
  /** Its network per IPv6 prefix length asked for (one, the configured, in practice). */
  networks: Partial<Record<Ipv6Prefix, string>>;
}

/**
 * Kept on the request itself, not in a WeakMap keyed by requests: such a map gains an entry per
 * request in a table that outlives them all, and every young-generation collection has to sweep
 * those entries (decision 183).
 */
const CLIENT = Symbol('client');
type RequestWithClient = FastifyRequest & { [CLIENT]?: Client };

function clientOf(request: RequestWithClient): Client {
  let client = request[CLIENT];
  if (!client) {
    const ips = request.ips;
    client = { address: ips?.at(-1) ?? request.ip, hops: ips?.length ?? 1, networks: {} };
    request[CLIENT] = client;
  }
  return client;
}

/** The client's address (see `clientOf`), read once per request. */
export function clientAddress(request: FastifyRequest): string {
  return clientOf(request).address;
}

/**
 * Who a request counts against for rate limits and blocks: the anonymised network of the client
 * address (the forwarded one only when it came through a proxy listed in TRUST_PROXY), the same form
 * the usage log stores. See docs/decisions/015-abuse-protection-keys-on-networks.md.
 */
export function clientNetwork(request: FastifyRequest, ipv6Prefix: Ipv6Prefix): string {
  const client = clientOf(request);
  client.networks[ipv6Prefix] ??= truncateIp(client.address, ipv6Prefix);
  return client.networks[ipv6Prefix];
}

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * The loopback exemption: the machine itself (health checks, the demo on a laptop, the test suites
 * and their browser) must never lock itself out. It applies to the real socket peer only, and only
 * when no forwarded address was taken from it: `X-Forwarded-For: 127.0.0.1` through a trusted proxy
 * is a client that says it is loopback, and is limited like anyone.
 */
export function isExemptLoopback(request: FastifyRequest): boolean {
  const peer = request.socket?.remoteAddress ?? '';
  if (!isLoopbackAddress(peer)) return false;
  // With a trusted proxy, the client's hops are the peer and every forwarded address that was believed.
  return clientOf(request).hops <= 1;
}
