import type { Config } from '../config/config.js';
import type { CredentialKeyring } from '../credentials/credential-keyring.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { type GrantOwner, readDelegatedGrant, storeDelegatedGrant } from './delegated-grant-store.js';
import { createGraphClient, type GraphClient, REQUEST_RETRY, WORKER_RETRY } from './graph-client.js';
import { createDelegatedTokenClient } from './on-behalf-of.js';
import type { TenantGraphOptions } from './tenant-graph.js';

/** An access token is renewed this long before it expires, so none runs out in the middle of an upload. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

export interface DelegatedOwner extends GrantOwner {
  microsoftTenantId: string;
}

export interface DelegatedAccess {
  /**
   * At request time, while the user's token for our API is at hand: trades it on-behalf-of for
   * delegated Graph tokens and keeps them sealed, so a job can later act as this user.
   */
  grant(owner: DelegatedOwner, apiAccessToken: string): Promise<void>;
  /** Graph as the user, from the stored grant (renewed by its refresh token when due). */
  graphFor(owner: DelegatedOwner, options: TenantGraphOptions): GraphClient;
}

const signInAgain = (detail: string) =>
  new AppError(
    401,
    'delegated_sign_in_required',
    'Mailissa may no longer act for you in Microsoft 365. Open Mailissa in Outlook again and repeat the transfer.',
    { detail },
  );

/**
 * Delegated Graph access for background jobs (docs/decisions/075): the on-behalf-of exchange happens
 * in the request, the refresh token is kept encrypted in `delegated_grants`, and the job renews its
 * access token from it. What the user may reach is decided by Microsoft, never by us.
 */
export function createDelegatedAccess(deps: {
  config: Config;
  db: Database;
  keyring: CredentialKeyring;
  now: () => Date;
  fetch?: typeof fetch;
}): DelegatedAccess {
  const tokens = createDelegatedTokenClient({
    authorityBase: deps.config.entra.authorityBase,
    clientId: deps.config.entra.clientId,
    clientSecret: deps.config.entra.clientSecret,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    now: deps.now,
  });
  const read = (owner: DelegatedOwner) =>
    withTenant(deps.db, owner.tenantId, (tx) => readDelegatedGrant(tx, deps.keyring, owner));
  const fresh = (expiresAt: number) => expiresAt - RENEW_BEFORE_MS > deps.now().getTime();

  async function currentAccessToken(owner: DelegatedOwner): Promise<{ token: string; expiresAt: number }> {
    const stored = await read(owner);
    if (!stored) throw signInAgain('no delegated grant stored for this user');
    if (fresh(stored.tokens.expiresAt)) {
      return { token: stored.tokens.accessToken, expiresAt: stored.tokens.expiresAt };
    }
    const refreshToken = stored.tokens.refreshToken;
    if (!refreshToken) throw signInAgain('the delegated grant has no refresh token');
    let renewed: Awaited<ReturnType<typeof tokens.refresh>>;
    try {
      renewed = await tokens.refresh(owner.microsoftTenantId, refreshToken);
    } catch (error) {
      // Another worker may have redeemed the same refresh token a moment ago: use what it stored.
      if (error instanceof AppError && error.code === 'delegated_sign_in_required') {
        const again = await read(owner);
        if (again && again.version !== stored.version && fresh(again.tokens.expiresAt)) {
          return { token: again.tokens.accessToken, expiresAt: again.tokens.expiresAt };
        }
      }
      throw error;
    }
    await withTenant(deps.db, owner.tenantId, (tx) =>
      storeDelegatedGrant(
        tx,
        deps.keyring,
        owner,
        { ...renewed, refreshToken: renewed.refreshToken ?? refreshToken },
        deps.now(),
        stored.version,
      ),
    );
    return { token: renewed.accessToken, expiresAt: renewed.expiresAt };
  }

  return {
    async grant(owner, apiAccessToken) {
      const granted = await tokens.onBehalfOf(owner.microsoftTenantId, apiAccessToken);
      await withTenant(deps.db, owner.tenantId, (tx) =>
        storeDelegatedGrant(tx, deps.keyring, owner, granted, deps.now()),
      );
    },

    graphFor(owner, options) {
      // One client per job: the token is kept here between calls and read again only when due.
      let cached: { token: string; expiresAt: number } | undefined;
      return createGraphClient({
        baseUrl: deps.config.graphBaseUrl,
        getAccessToken: async () => {
          if (!cached || !fresh(cached.expiresAt)) cached = await currentAccessToken(owner);
          return cached.token;
        },
        retry: options.profile === 'request' ? REQUEST_RETRY : WORKER_RETRY,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
  };
}
