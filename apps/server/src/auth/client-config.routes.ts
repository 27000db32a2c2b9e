import { clientConfigSchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';

/** What the browser apps need to sign in with MSAL: decided by the server's configuration alone. */
export const clientConfigRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.get(
    '/api/client-config',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign-in settings for the add-in and other browser apps',
        response: { 200: clientConfigSchema },
      },
    },
    async () => ({
      clientId: config.entra.clientId,
      authority: `${config.entra.authorityBase}/organizations`,
      knownAuthorities: [new URL(config.entra.authorityBase).host],
      apiScope: `api://${config.entra.clientId}/access_as_user`,
      registrationUrl: config.registrationUrl,
      demoMode: config.demoMode,
    }),
  );
};
