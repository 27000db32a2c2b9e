import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
// A relative import: Vite bundles it into the config, while a package import would be loaded by Node.
import { CSP_NONCE_PLACEHOLDER } from '../../packages/contracts/src/csp-nonce.js';

const sourceRoot = fileURLToPath(new URL('./src', import.meta.url));

/**
 * Every surface is a folder `src/<surface>/` with an `index.html` (and maybe further pages such as
 * the add-in's sign-in redirect page). New surfaces are picked up without touching this file.
 */
function discoverPages(): Record<string, string> {
  const pages: Record<string, string> = {};
  for (const surface of readdirSync(sourceRoot)) {
    const folder = path.join(sourceRoot, surface);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder)) {
      if (!file.endsWith('.html')) continue;
      const page = file === 'index.html' ? surface : `${surface}-${file.replace(/\.html$/, '')}`;
      pages[page] = path.join(folder, file);
    }
  }
  return pages;
}

export default defineConfig({
  root: sourceRoot,
  // The server serves `dist/` under /app/; hashed files below /app/assets/ are cached for ever.
  base: '/app/',
  // Brotli and gzip copies beside every text asset, so the server sends them compressed without
  // compressing on each request (web-app/web-app.routes.ts serves them with preCompressed).
  plugins: [
    react(),
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(js|css|svg|json|html|txt|woff)$/,
      threshold: 1024,
      skipIfLargerOrEqual: true,
      logLevel: 'silent',
    }),
  ],
  // The server puts a fresh nonce per response in place of the placeholder (web-app/web-app.routes.ts).
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Inline data: URLs would need a looser CSP (img-src data:, font-src data:).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    // Every browser that runs Office add-ins supports modulepreload natively.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: discoverPages(),
      output: { entryFileNames: 'assets/[name]-[hash].js' },
    },
  },
});
