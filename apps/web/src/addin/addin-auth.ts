import {
  type AccountInfo,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import type { ClientConfig } from './addin-api.js';

/** Thrown when no token can be had without the user clicking "Sign in" (which opens a popup). */
export class InteractionRequiredError extends Error {
  constructor(cause: unknown) {
    super('Signing in needs the user', { cause });
    this.name = 'InteractionRequiredError';
  }
}

export interface AddinAuth {
  /** Silently: from MSAL's cache, from the Office host (nested app authentication) or by SSO. */
  getAccessToken(): Promise<string>;
  /** Interactively, in a popup; call it from a click so that no popup blocker stops it. */
  signInWithPopup(): Promise<string>;
  account(): AccountInfo | null;
}

/** The page the sign-in popup returns to; it hands the result to this window and closes. */
export const AUTH_REDIRECT_PATH = '/addin/auth-redirect';

/**
 * MSAL for the task pane. Where the Office host offers nested app authentication, the host hands out
 * tokens and no popup ever opens; elsewhere MSAL falls back to its standard client, which signs in
 * silently if it can and otherwise asks the user to click "Sign in" (popup).
 */
export async function createAddinAuth(
  config: ClientConfig,
  loginHint: string | undefined,
): Promise<AddinAuth> {
  const msal: IPublicClientApplication = await createNestablePublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      redirectUri: `${window.location.origin}${AUTH_REDIRECT_PATH}`,
    },
    cache: { cacheLocation: 'localStorage' },
  });
  const scopes = [config.apiScope];

  function remember(account: AccountInfo): void {
    msal.setActiveAccount(account);
  }

  function currentAccount(): AccountInfo | null {
    const active = msal.getActiveAccount();
    if (active) return active;
    const all = msal.getAllAccounts();
    const hinted = loginHint
      ? all.find((account) => account.username.toLowerCase() === loginHint.toLowerCase())
      : undefined;
    return hinted ?? all[0] ?? null;
  }

  return {
    account: currentAccount,
    async getAccessToken() {
      const account = currentAccount();
      try {
        const result = account
          ? await msal.acquireTokenSilent({ scopes, account })
          : await msal.ssoSilent({ scopes, loginHint });
        remember(result.account);
        return result.accessToken;
      } catch (error) {
        if (error instanceof InteractionRequiredAuthError || !account)
          throw new InteractionRequiredError(error);
        // A cached account whose refresh failed for another reason: try SSO once before giving up.
        try {
          const result = await msal.ssoSilent({ scopes, loginHint });
          remember(result.account);
          return result.accessToken;
        } catch (ssoError) {
          throw new InteractionRequiredError(ssoError);
        }
      }
    },
    async signInWithPopup() {
      const result = await msal.acquireTokenPopup({ scopes, loginHint });
      remember(result.account);
      return result.accessToken;
    },
  };
}
