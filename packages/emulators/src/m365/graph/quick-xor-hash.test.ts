import { describe, expect, it } from 'vitest';
import { QuickXorHash } from './quick-xor-hash.js';

// Known-answer vectors (input and hash, both base64) as published with rclone's OneDrive backend.
const VECTORS: Array<[string, string]> = [
  ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
  ['tbQ=', 'taAFAAAAAAAAAAAAAgAAAAAAAAA='],
  ['0pZP', '0rDEEwAAAAAAAAAAAwAAAAAAAAA='],
  ['jRRDVA==', 'jaDAEKgAAAAAAAAABAAAAAAAAAA='],
  ['eAV52qE=', 'eChAHrQRCgAAAAAABQAAAAAAAAA='],
  ['luBZlaT6', 'lgBHFipBCn0AAAAABgAAAAAAAAA='],
  ['qaApEj66lw==', 'qQBFCiTgA11cAgAABwAAAAAAAAA='],
  ['/aNzzCFPS/A=', '/RjFHJgRgicsAR4ACAAAAAAAAAA='],
];

describe('QuickXorHash', () => {
  it.each(VECTORS)('hashes %s to %s', (input, expected) => {
    const hash = new QuickXorHash();
    hash.update(Buffer.from(input, 'base64'));
    expect(hash.digest()).toBe(expected);
  });

  it('gives the same hash however the stream is split', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
    const whole = new QuickXorHash();
    whole.update(data);
    const parts = new QuickXorHash();
    for (let i = 0; i < data.length; i += 7) parts.update(data.subarray(i, i + 7));
    expect(parts.digest()).toBe(whole.digest());
  });
});
