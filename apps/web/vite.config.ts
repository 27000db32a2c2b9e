import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

/** The Office.js stand-in of the Outlook emulator: a classic script at a stable, unhashed name. */
const OFFICE_STANDIN_ENTRY = 'office-standin';

/**
 * Office.js is a classic script; so is its stand-in. Wrapping it in a function keeps its top-level
 * names out of the add-in's global scope: only `Office` and `nestedAppAuthBridge` are set on purpose.
 */
function wrapOfficeStandin(): Plugin {
  return {
    name: 'mailissa:wrap-office-standin',
    renderChunk(code, chunk) {
      if (chunk.name !== OFFICE_STANDIN_ENTRY) return null;
      return { code: `(function () {\n${code}\n})();\n`, map: null };
    },
  };
}

export default defineConfig({
  root: sourceRoot,
  // The server serves `dist/` under /app/; hashed files below /app/assets/ are cached for ever.
  base: '/app/',
  plugins: [react(), wrapOfficeStandin()],
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
      input: {
        ...discoverPages(),
        [OFFICE_STANDIN_ENTRY]: path.join(sourceRoot, 'outlook-emulator/office-standin/office.ts'),
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === OFFICE_STANDIN_ENTRY ? 'office-standin.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});
