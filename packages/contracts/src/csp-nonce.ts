/**
 * The web build (Vite's `html.cspNonce`) writes this placeholder into every page's
 * `<meta property="csp-nonce" nonce="…">` and its script and style tags; the server replaces it with
 * a fresh nonce per response and allows that nonce in the page's `style-src`. The app hands it to
 * Fluent UI's style engine, whose runtime `<style>` elements then pass the Content Security Policy
 * without `'unsafe-inline'` (docs/decisions/016-csp-nonce-and-error-pages.md).
 */
export const CSP_NONCE_PLACEHOLDER = '__MAILISSA_CSP_NONCE__';
