import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../errors/app-error.js';
import { DEFAULT_WEB_DIST } from '../web-app/web-app.routes.js';

/**
 * The operator console's page (the Vite entry apps/web/src/operator/) for /operator/ and every
 * sub-path. Its assets come from /app/assets/ like every surface's; its API is /operator/api/.
 */
export const operatorPageRoutes: FastifyPluginAsyncZod<{ distDir?: string }> = async (app, options) => {
  const distDir = options.distDir ?? DEFAULT_WEB_DIST;
  const page = { schema: { hide: true } } as const;

  async function sendConsole(reply: FastifyReply): Promise<FastifyReply> {
    let html: string;
    try {
      html = await readFile(path.join(distDir, 'operator', 'index.html'), 'utf8');
    } catch {
      throw new AppError(503, 'web_app_not_built', 'The web front ends are not built yet.', {
        detail: `Missing operator/index.html in ${distDir}: run "npm run build -w apps/web".`,
      });
    }
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(html);
  }

  app.get('/operator', page, (_request, reply) => reply.redirect('/operator/'));
  app.get('/operator/*', page, async (request: FastifyRequest, reply) => {
    if (request.url.startsWith('/operator/api/')) return reply.callNotFound();
    return sendConsole(reply);
  });
};
