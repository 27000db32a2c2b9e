/**
 * `npm run bench:addin-bundle`: what the add-in's task pane downloads on first load — its page's
 * scripts, module preloads and style sheets as the server sends them (brotli copies written at
 * build) — against the goal of ≤ 300 KB compressed. Reads the production build in apps/web/dist
 * (run `npm run build` first).
 */

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFigure } from './bench-result.js';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const KB = 1024;

async function sizeOf(file: string): Promise<number> {
  return (await stat(file)).size;
}

async function main(): Promise<void> {
  const page = await readFile(path.join(DIST, 'addin', 'index.html'), 'utf8');
  const assets = [...page.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1] ?? '',
  );
  let raw = 0;
  let brotli = 0;
  for (const asset of new Set(assets)) {
    const file = path.join(DIST, asset);
    const size = await sizeOf(file);
    raw += size;
    brotli += await sizeOf(`${file}.br`).catch(() => size);
  }
  reportFigure({
    name: 'add-in JavaScript+CSS on first load, compressed',
    value: brotli / KB,
    unit: 'KB',
    goal: { atMost: 300 },
    baseline: { name: 'uncompressed', value: raw / KB },
  });
  console.log(
    `addin-bundle: ${(brotli / KB).toFixed(0)} KB compressed on first load (goal ≤ 300), ${(raw / KB).toFixed(0)} KB uncompressed, ${new Set(assets).size} files`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
