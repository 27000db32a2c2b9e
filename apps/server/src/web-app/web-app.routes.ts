import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { CSP_NONCE_PLACEHOLDER } from '@mailissa/contracts/csp-nonce';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { addinIconPng, ICON_SIZES, type IconSize } from './addin-icons.js';
import { buildAddinManifest } from './addin-manifest.js';

/** Microsoft's hosted Office.js; inside real Outlook nothing else may provide `Office`. */
export const MICROSOFT_OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/** The built front ends (apps/web/dist), relative to this file in src/ and in a compiled build. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Hashed bundles: their names change with their content, so browsers may keep them for ever. */
const ASSETS_PREFIX = '/app/assets/';

/**
 * Adds Office.js to the add-in's page as a classic script ahead of the add-in's module scripts, as
 * Microsoft requires: the page's own code has no branch for the emulator, the server picks the script.
 */
export function withOfficeJs(html: string, scriptUrl: string): string {
  const tag = `<script src="${scriptUrl}"></script>`;
  const firstScript = html.indexOf('<script');
  if (firstScript >= 0) return `${html.slice(0, firstScript)}${tag}\n    ${html.slice(firstScript)}`;
  return html.replace('</head>', `    ${tag}\n  </head>`);
}

/** Reads a file of the built front ends, or fails with a clear 503 when they were not built. */
export async function readBuiltFile(distDir: string, relativePath: string): Promise<string> {
  try {
    return await readFile(path.join(distDir, relativePath), 'utf8');
  } catch {
    throw new AppError(503, 'web_app_not_built', 'The web front ends are not built yet.', {
      detail: `Missing ${relativePath} in ${distDir}: run "npm run build -w apps/web".`,
    });
  }
}

/**
 * Puts the response's CSP nonce where the build left its placeholder (the page's
 * `<meta property="csp-nonce">` and its tags), so the app's runtime styles pass the CSP. Without a
 * nonce (a path that has none) the placeholder goes, and the app inserts styles without one.
 */
export function withCspNonce(html: string, nonce: string | null): string {
  return html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce ?? '');
}

/**
 * Sends one built page of a surface (`dist/<surface>/<page>`), never cached, so a deployment's new
 * hashed bundles are picked up at once (a stored copy keeps its own CSP header, so nonce and page
 * stay a pair). Other surfaces' plugins (e.g. the operator console) use it too.
 */
export async function sendBuiltPage(
  reply: FastifyReply,
  options: { distDir?: string; surface: string; page?: string; transform?: (html: string) => string },
): Promise<FastifyReply> {
  const html = await readBuiltFile(
    options.distDir ?? DEFAULT_WEB_DIST,
    `${options.surface}/${options.page ?? 'index.html'}`,
  );
  const page = withCspNonce(options.transform ? options.transform(html) : html, reply.request.cspNonce);
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(page);
}

export interface WebAppOptions {
  config: Config;
  /** Where the add-in's page loads Office.js from: Microsoft's, or the Outlook emulator's stand-in (demo). */
  officeJsUrl?: string;
  /** Where the built front ends are; tests point it elsewhere. */
  distDir?: string;
}

/**
 * Serves the front ends built by Vite: hashed assets under /app/assets/, and each surface's
 * index.html for its path and every sub-path (client-side routing): /portal/*, /addin/* (task pane,
 * its manifest and icons). The Outlook emulator's page is the emulators' own (demo mode only).
 */
export const webAppRoutes: FastifyPluginAsyncZod<WebAppOptions> = async (app, options) => {
  const { config } = options;
  const distDir = options.distDir ?? DEFAULT_WEB_DIST;

  if (existsSync(path.join(distDir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: ASSETS_PREFIX,
      decorateReply: false,
      index: false,
      list: false,
      immutable: true,
      maxAge: '365d',
      // The build wrote .br and .gz copies beside each text asset (apps/web/vite.config.ts).
      preCompressed: true,
    });
  }

  const addOfficeJs = (html: string) => withOfficeJs(html, options.officeJsUrl ?? MICROSOFT_OFFICE_JS_URL);
  const sendPage = (reply: FastifyReply, surface: string, page = 'index.html') =>
    sendBuiltPage(reply, {
      distDir,
      surface,
      page,
      transform: surface === 'addin' && page === 'index.html' ? addOfficeJs : undefined,
    });

  const page = { schema: { hide: true } } as const;

  // Portal. Its JSON API lives under /portal/api/ (other plugins); unknown API paths stay JSON 404s.
  app.get('/portal', page, (_request, reply) => reply.redirect('/portal/'));
  app.get('/portal/*', page, async (request: FastifyRequest, reply) => {
    if (request.url.startsWith('/portal/api/')) return reply.callNotFound();
    return sendPage(reply, 'portal');
  });

  // Add-in task pane, its sign-in popup target, manifest and icons.
  app.get('/addin', page, (_request, reply) => reply.redirect('/addin/'));
  app.get('/addin/*', page, async (_request, reply) => sendPage(reply, 'addin'));
  app.get('/addin/auth-redirect', page, async (_request, reply) =>
    sendPage(reply, 'addin', 'auth-redirect.html'),
  );
  app.get('/addin/manifest.xml', page, async (_request, reply) =>
    reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-disposition', 'inline; filename="mailissa-manifest.xml"')
      .send(buildAddinManifest(config)),
  );
  app.get(
    '/addin/icons/:file',
    { schema: { hide: true, params: z.object({ file: z.string().regex(/^icon-\d+\.png$/) }) } },
    async (request, reply) => {
      const size = Number(request.params.file.slice(5, -4));
      if (!ICON_SIZES.includes(size as IconSize)) {
        throw new AppError(404, 'not_found', `No icon of size ${size}.`);
      }
      // Office's manifest rules: icon responses must not carry Cache-Control directives.
      return reply.header('content-type', 'image/png').send(addinIconPng(size as IconSize));
    },
  );
};
