import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_CODE_LIFETIME_MS, GrantStore, SPA_REFRESH_LIFETIME_MS } from './grant-store.js';

function clock(start = Date.UTC(2026, 10, 29, 8)) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const grant = {
  clientId: 'client',
  redirectUri: 'http://127.0.0.1/cb',
  tenantId: 'tenant',
  userId: 'user',
  scope: 'openid',
  nonce: undefined,
  codeChallenge: 'challenge',
};

describe('GrantStore', () => {
  it('redeems a code once, and not after ten minutes', () => {
    const time = clock();
    const store = new GrantStore(time.now);
    const code = store.issueCode(grant);
    expect(store.redeemCode(code)).toMatchObject({ userId: 'user' });
    expect(store.redeemCode(code)).toBe('redeemed');
    const late = store.issueCode(grant);
    time.advance(AUTHORIZATION_CODE_LIFETIME_MS + 1);
    expect(store.redeemCode(late)).toBe('expired');
    expect(store.redeemCode('made-up')).toBe('unknown');
  });

  it('rotates refresh tokens and ends public-client ones 24 hours after sign-in', () => {
    const time = clock();
    const store = new GrantStore(time.now);
    const signedInAt = time.now().getTime();
    const token = store.issueRefreshToken({
      clientId: 'c',
      tenantId: 't',
      userId: 'u',
      scope: 'openid',
      publicClient: true,
      signedInAt,
    });
    expect(store.consumeRefreshToken(token)).toMatchObject({ userId: 'u' });
    expect(store.consumeRefreshToken(token)).toBe('unknown');
    const next = store.issueRefreshToken({
      clientId: 'c',
      tenantId: 't',
      userId: 'u',
      scope: 'openid',
      publicClient: true,
      signedInAt,
    });
    time.advance(SPA_REFRESH_LIFETIME_MS + 1);
    expect(store.consumeRefreshToken(next)).toBe('expired');
  });
});
