import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * The two forms in which we keep a client address — never the address itself:
 * the network it belongs to (IPv4 /24, IPv6 /48 or /64 as `IPV6_NETWORK_PREFIX` says) and a keyed
 * hash under the day's random salt. The network is also what rate limits and blocks key on
 * (docs/decisions/015-abuse-protection-keys-on-networks.md), so what we block is what we store.
 */

/** How many leading bits of an IPv6 address name its network. */
export type Ipv6Prefix = 48 | 64;

/**
 * An IPv4 address already in the form normalising gives it: four decimal octets of 0–255 without
 * leading zeros. Almost every client address arrives so; a regular expression answers for it in a
 * few dozen nanoseconds where a full parse takes most of a microsecond, twice per new address
 * (its network for blocks, its hash for the usage log).
 */
const CANONICAL_IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `::ffff:192.0.2.7` → `192.0.2.7`; IPv6 as eight lower-case groups without leading zeros; else null. */
export function normaliseIp(address: string): string | null {
  if (CANONICAL_IPV4.test(address)) return address;
  const trimmed =
    address
      .trim()
      .replace(/^\[|\]$/g, '')
      .split('%')[0] ?? '';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // One parse, not a validity check and then a parse. process() folds the IPv4-mapped form
    // (::ffff:a.b.c.d) into the IPv4 address it stands for, and reads octal or hexadecimal octets.
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
 * `anonymiseIp` for many addresses under one salt: the address is normalised once for both forms.
 * A plain HMAC per address; continuing copies of precomputed key states (RFC 2104) measured slower
 * in Node than a fresh HMAC (2.0 against 1.4 µs), since each copy is a native object of its own.
 */
export function createAnonymiser(
  salt: Uint8Array,
  ipv6Prefix: Ipv6Prefix = 48,
): (address: string) => AnonymisedAddress {
  return (address) => {
    const normalised = normaliseIp(address);
    return {
      ipTruncated: normalised === null ? 'unknown' : truncateNormalised(normalised, ipv6Prefix),
      ipHash: createHmac('sha256', salt)
        .update(normalised ?? address)
        .digest('hex'),
    };
  };
}
