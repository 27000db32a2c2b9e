import { describe, expect, it } from 'vitest';
import { anonymiseIp, createAnonymiser, hashIp, normaliseIp, truncateIp } from './anonymise-ip.js';

describe('anonymising addresses', () => {
  it('truncates IPv4 to /24 and IPv6 to /48', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0/24');
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(truncateIp('::1')).toBe('0:0:0::/48');
    expect(truncateIp('::ffff:192.0.2.201')).toBe('192.0.2.0/24');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(truncateIp('not an address')).toBe('unknown');
  });

  it('truncates IPv6 to /64 when so configured, and folds the IPv4-mapped form either way', () => {
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348', 64)).toBe('2001:db8:85a3:8d3::/64');
    expect(truncateIp('2001:db8:85a3:8d3::ffff', 64)).toBe('2001:db8:85a3:8d3::/64');
    expect(truncateIp('2001:db8:85a3:8d4::1', 64)).toBe('2001:db8:85a3:8d4::/64');
    expect(truncateIp('::ffff:198.51.100.9', 64)).toBe('198.51.100.0/24');
    expect(truncateIp('[::ffff:c633:6409]', 64)).toBe('198.51.100.0/24');
  });

  it('normalises equal addresses to one form, so they hash alike', () => {
    expect(normaliseIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normaliseIp('2001:db8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normaliseIp('::ffff:c000:2c9')).toBe('192.0.2.201');
    const salt = new Uint8Array(32).fill(7);
    expect(hashIp('2001:db8::1', salt)).toBe(hashIp('2001:0db8:0:0::0001', salt));
    expect(hashIp('::ffff:192.0.2.201', salt)).toBe(hashIp('192.0.2.201', salt));
  });

  it('hashes under the salt: another salt, another hash; never the address itself', () => {
    const a = anonymiseIp('198.51.100.23', new Uint8Array(32).fill(1));
    const b = anonymiseIp('198.51.100.23', new Uint8Array(32).fill(2));
    expect(a.ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.ipHash).not.toBe(b.ipHash);
    expect(a.ipTruncated).toBe('198.51.100.0/24');
    expect(JSON.stringify(a)).not.toContain('198.51.100.23');
  });

  it('takes the short way only for canonical IPv4: other spellings of an address are parsed', () => {
    expect(normaliseIp('192.0.2.201')).toBe('192.0.2.201');
    expect(normaliseIp('0.0.0.0')).toBe('0.0.0.0');
    expect(normaliseIp('255.255.255.255')).toBe('255.255.255.255');
    // Leading zeros, hexadecimal and surrounding space are other spellings of the same address.
    expect(normaliseIp('192.000.002.201')).toBe(normaliseIp('192.0.2.201'));
    expect(normaliseIp('0xc0.0.2.201')).toBe('192.0.2.201');
    expect(normaliseIp(' 192.0.2.201 ')).toBe('192.0.2.201');
    expect(normaliseIp('256.0.2.201')).toBeNull();
    expect(normaliseIp('192.0.2')).not.toBe('192.0.2');
    expect(truncateIp('10.1.2.3')).toBe('10.1.2.0/24');
  });

  it('gives the same result through the anonymiser as through HMAC directly', () => {
    const salt = new Uint8Array(32).map((_, index) => index * 7);
    const anonymise = createAnonymiser(salt);
    for (const address of [
      '203.0.113.77',
      '2001:db8:85a3:8d3:1319:8a2e:370:7348',
      '::ffff:192.0.2.201',
      '2001:0db8:85a3:08d3:1319:8a2e:0370:7348',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      '0.0.0.0',
      '255.255.255.255',
      'junk',
      'not an address: ünïcödé',
    ]) {
      expect(anonymise(address)).toEqual(anonymiseIp(address, salt));
    }
    // A salt longer than HMAC's block is hashed first, as RFC 2104 says.
    const longSalt = new Uint8Array(100).map((_, index) => index);
    expect(createAnonymiser(longSalt)('198.51.100.23')).toEqual(anonymiseIp('198.51.100.23', longSalt));
    // Many addresses in a row: nothing of one stays behind in the next.
    for (let index = 0; index < 300; index += 1) {
      const address = index % 2 ? `2001:db8::${index.toString(16)}` : `10.0.${index}.${index % 7}`;
      expect(anonymise(address)).toEqual(anonymiseIp(address, salt));
    }
  });
});
