import type { FastifyRequest } from 'fastify';
import type { Ipv6Prefix } from './anonymise-ip.js';
import { truncateIp } from './anonymise-ip.js';

/**
 * Who a request counts against for rate limits and blocks: the anonymised network of the client
 * address (the forwarded one only when it came through a proxy listed in TRUST_PROXY), the same form
 * the usage log stores. See docs/decisions/015-abuse-protection-keys-on-networks.md.
 */
export function clientNetwork(request: FastifyRequest, ipv6Prefix: Ipv6Prefix): string {
  return truncateIp(request.ip, ipv6Prefix);
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
  // With a trusted proxy, `ips` lists the peer and every forwarded address that was believed.
  return (request.ips?.length ?? 1) <= 1;
}
