import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The Outlook emulator's page and its Office.js stand-in, built apart from the product's front ends
 * into `dist/outlook/`: the server serves this folder only in demo mode, so no emulator bundle or
 * source map exists among the product's assets.
 */
const outlookRoot = fileURLToPath(new URL('./src/m365/outlook', import.meta.url));
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
  root: outlookRoot,
  base: '/emulator/outlook/',
  plugins: [react(), wrapOfficeStandin()],
  resolve: {
    // The emulator's page reuses the product's UI kit (header, language switch, i18n set-up).
    alias: { '@mailissa/web': fileURLToPath(new URL('../../apps/web/src', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/outlook', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        index: `${outlookRoot}/index.html`,
        [OFFICE_STANDIN_ENTRY]: `${outlookRoot}/office-standin/office.ts`,
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === OFFICE_STANDIN_ENTRY ? 'office-standin.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});
