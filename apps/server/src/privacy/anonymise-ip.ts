import { createHash, createHmac, hash } from 'node:crypto';
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
  // A normalised IPv4 address is four octets: its network is all up to the last dot.
  if (!normalised.includes(':')) return `${normalised.slice(0, normalised.lastIndexOf('.'))}.0/24`;
  const groups = normalised.split(':').slice(0, ipv6Prefix / 16);
  return `${groups.join(':')}::/${ipv6Prefix}`;
}

/** HMAC-SHA-256 of the normalised address under `salt`, hex. Only comparable within one salt's day. */
export function hashIp(address: string, salt: Uint8Array): string {
  return hmacHex(normaliseIp(address) ?? address, salt);
}

function hmacHex(text: string, salt: Uint8Array): string {
  return createHmac('sha256', salt).update(text).digest('hex');
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

/** `anonymiseIp` under one salt and prefix length, made by `createAnonymiser`. */
export type Anonymiser = (address: string) => AnonymisedAddress;

/** HMAC-SHA-256's block size in bytes (RFC 2104). */
const HASH_BLOCK = 64;
const DIGEST_BYTES = 32;
/** The longest normalised address: eight groups of four hex digits and seven colons. */
const MAX_NORMALISED = 39;

/**
 * `anonymiseIp` for many addresses under one salt, the same values computed with less work: the
 * address is normalised once for both forms, and the HMAC (RFC 2104) is two one-shot SHA-256 over
 * buffers keyed once, not an Hmac object per address. Measured in the website's bench, an object
 * per address cost far more than its own 1.4 µs: the native objects are collected later. Two
 * one-shot hashes cost 0.8 µs and leave only strings behind. An address that cannot be normalised
 * (not an address at all, possibly any text) takes the plain HMAC.
 */
export function createAnonymiser(salt: Uint8Array, ipv6Prefix: Ipv6Prefix = 48): Anonymiser {
  const key = salt.length > HASH_BLOCK ? createHash('sha256').update(salt).digest() : salt;
  const inner = Buffer.alloc(HASH_BLOCK + MAX_NORMALISED, 0x36);
  const outer = Buffer.alloc(HASH_BLOCK + DIGEST_BYTES, 0x5c);
  for (let index = 0; index < key.length; index += 1) {
    inner[index] = 0x36 ^ (key[index] ?? 0);
    outer[index] = 0x5c ^ (key[index] ?? 0);
  }
  // The inner hash's input for each length of address, made once rather than a view per address.
  const innerOfLength = Array.from({ length: MAX_NORMALISED + 1 }, (_, length) =>
    inner.subarray(0, HASH_BLOCK + length),
  );
  // A normalised address is ASCII, so latin1 writes it byte for byte, as HMAC's UTF-8 would.
  const keyedHash = (normalised: string): string => {
    const length = inner.write(normalised, HASH_BLOCK, 'latin1');
    // Longer than any normalised address, so cut short by the buffer: hashed the plain way instead.
    if (length < normalised.length) return hmacHex(normalised, salt);
    // 'binary' is latin1: the digest's 32 bytes as 32 characters, written back as those bytes.
    outer.write(
      hash('sha256', innerOfLength[length] ?? inner.subarray(0, HASH_BLOCK + length), 'binary'),
      HASH_BLOCK,
      'binary',
    );
    return hash('sha256', outer, 'hex');
  };
  return (address) => {
    const normalised = normaliseIp(address);
    if (normalised === null) return { ipTruncated: 'unknown', ipHash: hmacHex(address, salt) };
    return {
      ipTruncated: truncateNormalised(normalised, ipv6Prefix),
      ipHash: keyedHash(normalised),
    };
  };
}
