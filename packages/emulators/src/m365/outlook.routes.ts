import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Where `npm run build -w packages/emulators` puts the Outlook page and the Office.js stand-in. */
export const OUTLOOK_DIST = fileURLToPath(new URL('../../dist/outlook/', import.meta.url));

/** The Office.js stand-in; the product's add-in page loads it instead of Microsoft's in demo mode. */
export const OFFICE_STANDIN_PATH = '/emulator/outlook/office.js';

async function sendBuilt(reply: FastifyReply, distDir: string, file: string, type: string) {
  let body: string;
  try {
    body = await readFile(path.join(distDir, file), 'utf8');
  } catch {
    return reply.status(503).send({
      error: {
        code: 'emulator_not_built',
        message: 'The Outlook emulator is not built: run "npm run build -w packages/emulators".',
      },
    });
  }
  return reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
}

/**
 * The Outlook emulator: a mail list and reading pane with the real add-in in a task-pane frame, and
 * the Office.js stand-in that implements the mailbox API subset the add-in uses. Only ever mounted
 * together with the rest of the emulator, so none of it exists in production.
 */
export const outlookRoutes: FastifyPluginAsyncZod<{ distDir?: string }> = async (app, options) => {
  const distDir = options.distDir ?? OUTLOOK_DIST;
  const page = { schema: { hide: true } } as const;
  if (existsSync(path.join(distDir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/emulator/outlook/assets/',
      decorateReply: false,
      index: false,
      list: false,
      immutable: true,
      maxAge: '365d',
    });
  }
  app.get('/emulator/outlook', page, (_request, reply) => reply.redirect('/emulator/outlook/'));
  app.get(OFFICE_STANDIN_PATH, page, (_request, reply) =>
    sendBuilt(reply, distDir, 'office-standin.js', 'text/javascript; charset=utf-8'),
  );
  app.get('/emulator/outlook/office-standin.js.map', page, (_request, reply) =>
    sendBuilt(reply, distDir, 'office-standin.js.map', 'application/json'),
  );
  app.get('/emulator/outlook/*', page, (_request, reply) =>
    sendBuilt(reply, distDir, 'index.html', 'text/html; charset=utf-8'),
  );
};
