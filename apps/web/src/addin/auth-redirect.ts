import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

// The sign-in popup lands here; MSAL hands the response to the task pane that opened it.
void broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = error instanceof Error ? error.message : 'Signing in failed.';
});
