import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The website's static files, read once at start-up and served from memory with an ETag. */
export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export const FONT_FILES = ['inter-latin-400-normal.woff2', 'inter-latin-600-normal.woff2'] as const;
export type FontFile = (typeof FONT_FILES)[number];

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** A short content hash of the stylesheet, for its cache-busting URL (read once at start-up). */
export const SITE_CSS_VERSION = createHash('sha256')
  .update(readFileSync(path.join(here, 'assets', 'site.css')))
  .digest('base64url')
  .slice(0, 10);

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

export async function loadWebsiteAssets(): Promise<{
  css: Asset;
  favicon: Asset;
  fonts: Record<FontFile, Asset>;
}> {
  const [css, favicon, ...fonts] = await Promise.all([
    readFile(path.join(here, 'assets', 'site.css')),
    readFile(path.join(here, 'assets', 'favicon.svg')),
    ...FONT_FILES.map((file) => readFile(require.resolve(`@fontsource/inter/files/${file}`))),
  ]);
  if (!css || !favicon) throw new Error('website assets missing');
  return {
    css: asset(css, 'text/css; charset=utf-8'),
    favicon: asset(favicon, 'image/svg+xml'),
    fonts: Object.fromEntries(
      FONT_FILES.map((file, index) => [file, asset(fonts[index] ?? Buffer.alloc(0), 'font/woff2')]),
    ) as Record<FontFile, Asset>,
  };
}
