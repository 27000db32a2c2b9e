import type { Language } from '../ui/i18n.js';
import { type Bootstrap, type ClientConfig, createAddinApi, fetchClientConfig } from './addin-api.js';
import { type AddinAuth, createAddinAuth, InteractionRequiredError } from './addin-auth.js';
import type { OfficeApi } from './office-api.js';

/** The pane's start without the user: its steps as promises, so the pane can show each as it comes. */
export interface QuietSignIn {
  /** The client configuration (client id, authority, API scope), once fetched. */
  config: Promise<ClientConfig>;
  /** The MSAL client with a first access token cached, or `needsSignIn` when only the user can sign in. */
  signedIn: Promise<{ auth: AddinAuth; needsSignIn: boolean }>;
  /** The bootstrap, asked for as soon as there is a token; null when the user must sign in first. */
  bootstrap: Promise<Bootstrap | null>;
}

/**
 * Fetches the client configuration, gets a first token for the Outlook user without asking them
 * (nested app authentication) and asks for the bootstrap in `language` (Outlook's, when the pane
 * speaks it; else none, and the server answers in the organisation's default). The add-in starts this
 * as soon as Office is ready, before its texts and its first render, so that neither waits for the
 * other (decision 174).
 */
export function signInQuietly(office: OfficeApi, language: Language | undefined): QuietSignIn {
  const config = fetchClientConfig();
  const signedIn = config.then(async (loaded) => {
    const auth = await createAddinAuth(loaded, office.context.mailbox.userProfile.emailAddress);
    try {
      await auth.getAccessToken();
      return { auth, needsSignIn: false };
    } catch (error) {
      if (error instanceof InteractionRequiredError) return { auth, needsSignIn: true };
      throw error;
    }
  });
  const bootstrap = signedIn.then(({ auth, needsSignIn }) =>
    needsSignIn ? null : createAddinApi(() => auth.getAccessToken()).bootstrap(language),
  );
  // A failure is shown by the pane when it reads these; until then it is not an unhandled rejection.
  for (const step of [config, signedIn, bootstrap]) step.catch(() => undefined);
  return { config, signedIn, bootstrap };
}
