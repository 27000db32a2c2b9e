import { randomBytes } from 'node:crypto';

export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Refresh tokens of public clients (SPA) end 24 h after sign-in (AADSTS700084). */
export const SPA_REFRESH_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const REFRESH_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

export interface AuthorizationCodeGrant {
  clientId: string;
  redirectUri: string;
  tenantId: string;
  userId: string;
  scope: string;
  nonce: string | undefined;
  codeChallenge: string;
  issuedAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  tenantId: string;
  userId: string;
  /** Everything the user consented to at sign-in; a refresh may ask for any subset. */
  scope: string;
  publicClient: boolean;
  signedInAt: number;
  expiresAt: number;
}

/**
 * Authorization codes and refresh tokens, in memory: the emulator is a single demo process and a lost
 * grant only means signing in again, which is what a client must cope with anyway.
 */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(private readonly now: () => Date) {}

  issueCode(grant: Omit<AuthorizationCodeGrant, 'issuedAt' | 'redeemed'>): string {
    this.prune();
    const code = `1.emu.${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, { ...grant, issuedAt: this.now().getTime(), redeemed: false });
    return code;
  }

  /** The grant of a code, or why it cannot be redeemed; marks it redeemed (single use). */
  redeemCode(code: string): AuthorizationCodeGrant | 'unknown' | 'expired' | 'redeemed' {
    const grant = this.codes.get(code);
    if (!grant) return 'unknown';
    if (this.now().getTime() - grant.issuedAt > AUTHORIZATION_CODE_LIFETIME_MS) return 'expired';
    if (grant.redeemed) return 'redeemed';
    grant.redeemed = true;
    return grant;
  }

  issueRefreshToken(grant: Omit<RefreshGrant, 'expiresAt'>): string {
    const token = `1.emu.rt.${randomBytes(64).toString('base64url')}`;
    const lifetime = grant.publicClient ? SPA_REFRESH_LIFETIME_MS : REFRESH_LIFETIME_MS;
    this.refreshTokens.set(token, { ...grant, expiresAt: grant.signedInAt + lifetime });
    return token;
  }

  /** Consumes a refresh token: rotation means the old one never works again. */
  consumeRefreshToken(token: string): RefreshGrant | 'unknown' | 'expired' {
    const grant = this.refreshTokens.get(token);
    if (!grant) return 'unknown';
    this.refreshTokens.delete(token);
    if (this.now().getTime() > grant.expiresAt) return 'expired';
    return grant;
  }

  private prune(): void {
    const cutoff = this.now().getTime() - 2 * AUTHORIZATION_CODE_LIFETIME_MS;
    for (const [code, grant] of this.codes) if (grant.issuedAt < cutoff) this.codes.delete(code);
    const now = this.now().getTime();
    for (const [token, grant] of this.refreshTokens)
      if (grant.expiresAt < now) this.refreshTokens.delete(token);
  }
}
