import { createHash, createHmac, type Hash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The two forms in which we keep a client address — never the address itself:
 * the network it belongs to (IPv4 /24, IPv6 /48) and a keyed hash under the day's random salt.
 */

/** `::ffff:192.0.2.7` → `192.0.2.7`; IPv6 expanded to eight lower-case groups; anything else null. */
export function normaliseIp(address: string): string | null {
  const trimmed =
    address
      .trim()
      .replace(/^\[|\]$/g, '')
      .split('%')[0] ?? '';
  if (isIPv4(trimmed)) return trimmed;
  if (!isIPv6(trimmed)) return null;
  const groups = expandIPv6(trimmed);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return groups.map((group) => group.toString(16)).join(':');
}

function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const all = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return all.map((group) => Number.parseInt(group, 16));
}

/** The network an address belongs to: `203.0.113.0/24`, `2001:db8:85a3::/48`; `unknown` if unparsable. */
export function truncateIp(address: string): string {
  const normalised = normaliseIp(address);
  return normalised === null ? 'unknown' : truncateNormalised(normalised);
}

function truncateNormalised(normalised: string): string {
  if (isIPv4(normalised)) {
    const [a, b, c] = normalised.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  const groups = normalised.split(':').slice(0, 3);
  return `${groups.join(':')}::/48`;
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

export function anonymiseIp(address: string, salt: Uint8Array): AnonymisedAddress {
  return { ipTruncated: truncateIp(address), ipHash: hashIp(address, salt) };
}

/**
 * The same as `anonymiseIp` for many addresses under one salt, faster: HMAC's inner and outer key
 * blocks are hashed once (RFC 2104) and each address only continues copies of those states.
 */
export function createAnonymiser(salt: Uint8Array): (address: string) => AnonymisedAddress {
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
      ipTruncated: normalised === null ? 'unknown' : truncateNormalised(normalised),
      ipHash: outerState.copy().update(innerDigest).digest('hex'),
    };
  };
}
