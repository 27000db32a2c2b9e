import { createHash, createHmac, type Hash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * The two forms in which we keep a client address — never the address itself:
 * the network it belongs to (IPv4 /24, IPv6 /48 or /64 as `IPV6_NETWORK_PREFIX` says) and a keyed
 * hash under the day's random salt. The network is also what rate limits and blocks key on
 * (docs/decisions/015-abuse-protection-keys-on-networks.md), so what we block is what we store.
 */

/** How many leading bits of an IPv6 address name its network. */
export type Ipv6Prefix = 48 | 64;

/** `::ffff:192.0.2.7` → `192.0.2.7`; IPv6 as eight lower-case groups without leading zeros; else null. */
export function normaliseIp(address: string): string | null {
  const trimmed =
    address
      .trim()
      .replace(/^\[|\]$/g, '')
      .split('%')[0] ?? '';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // One parse, not a validity check and then a parse: addresses come on every request. process()
    // folds the IPv4-mapped form (::ffff:a.b.c.d) into the IPv4 address it stands for.
    parsed = ipaddr.process(trimmed);
  } catch {
    return null;
  }
  return parsed.kind() === 'ipv4' ? parsed.toString() : parsed.toNormalizedString();
}

/** The network an address belongs to: `203.0.113.0/24`, `2001:db8:85a3::/48`; `unknown` if unparsable. */
export function truncateIp(address: string, ipv6Prefix: Ipv6Prefix = 48): string {
  const normalised = normaliseIp(address);
  return normalised === null ? 'unknown' : truncateNormalised(normalised, ipv6Prefix);
}

function truncateNormalised(normalised: string, ipv6Prefix: Ipv6Prefix): string {
  if (!normalised.includes(':')) {
    const [a, b, c] = normalised.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  const groups = normalised.split(':').slice(0, ipv6Prefix / 16);
  return `${groups.join(':')}::/${ipv6Prefix}`;
}

/** HMAC-SHA-256 of the normalised address under `salt`, hex. Only comparable within one salt's day. */
export function hashIp(address: string, salt: Uint8Array): string {
  return createHmac('sha256', salt)
    .update(normaliseIp(address) ?? address)
    .digest('hex');
}

export interface AnonymisedAddress {
  ipTruncated: string;
  ipHash: string;
}

export function anonymiseIp(
  address: string,
  salt: Uint8Array,
  ipv6Prefix: Ipv6Prefix = 48,
): AnonymisedAddress {
  return { ipTruncated: truncateIp(address, ipv6Prefix), ipHash: hashIp(address, salt) };
}

/**
 * The same as `anonymiseIp` for many addresses under one salt, faster: HMAC's inner and outer key
 * blocks are hashed once (RFC 2104) and each address only continues copies of those states.
 */
export function createAnonymiser(
  salt: Uint8Array,
  ipv6Prefix: Ipv6Prefix = 48,
): (address: string) => AnonymisedAddress {
  const BLOCK = 64;
  const key = salt.length > BLOCK ? createHash('sha256').update(salt).digest() : Buffer.from(salt);
  const inner = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK, 0x5c);
  for (let index = 0; index < key.length; index += 1) {
    inner[index] = (inner[index] ?? 0) ^ (key[index] ?? 0);
    outer[index] = (outer[index] ?? 0) ^ (key[index] ?? 0);
  }
  const innerState: Hash = createHash('sha256').update(inner);
  const outerState: Hash = createHash('sha256').update(outer);
  return (address) => {
    const normalised = normaliseIp(address);
    const innerDigest = innerState
      .copy()
      .update(normalised ?? address)
      .digest();
    return {
      ipTruncated: normalised === null ? 'unknown' : truncateNormalised(normalised, ipv6Prefix),
      ipHash: outerState.copy().update(innerDigest).digest('hex'),
    };
  };
}
