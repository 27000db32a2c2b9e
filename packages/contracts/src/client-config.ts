import { z } from 'zod';

/** `GET /api/client-config`: what the browser apps need to sign in with MSAL. */
export const clientConfigSchema = z.object({
  clientId: z.string(),
  /** MSAL authority for any work account; tokens still carry the user's own tenant as issuer. */
  authority: z.string(),
  /** Where MSAL may find the authority's metadata without asking Microsoft's discovery service. */
  knownAuthorities: z.array(z.string()),
  apiScope: z.string(),
  registrationUrl: z.string(),
  demoMode: z.boolean(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
