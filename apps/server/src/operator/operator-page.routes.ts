import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendBuiltPage } from '../web-app/web-app.routes.js';

/**
 * The operator console's page (the Vite entry apps/web/src/operator/) for /operator/ and every
 * sub-path. Its assets come from /app/assets/ like every surface's; its API is /operator/api/.
 * The page is served like the other surfaces' (web-app/), so a missing build is the same clear 503.
 */
export const operatorPageRoutes: FastifyPluginAsyncZod<{ distDir?: string }> = async (app, options) => {
  const page = { schema: { hide: true } } as const;

  app.get('/operator', page, (_request, reply) => reply.redirect('/operator/'));
  app.get('/operator/*', page, async (request, reply) => {
    if (request.url.startsWith('/operator/api/')) return reply.callNotFound();
    return sendBuiltPage(reply, { distDir: options.distDir, surface: 'operator' });
  });
};
