/**
 * Small helpers for the emulators' server-rendered pages (sign-in picker, errors, form_post, mail
 * catcher). Markup is built with the one HTML template the product's website uses too.
 */
import { escapeHtml } from '@mailissa/html';
import Negotiator from 'negotiator';

export { escapeHtml, html, type SafeHtml } from '@mailissa/html';

export type PageLanguage = 'en' | 'de';

/** Picks German when the browser prefers it over English, English otherwise (RFC 9110 q-values). */
export function languageFrom(acceptLanguage: string | undefined): PageLanguage {
  if (!acceptLanguage) return 'en';
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(['en', 'de']);
  return best === 'de' ? 'de' : 'en';
}

/** Served by the Microsoft 365 emulator's discovery routes; the mail catcher's pages use it too. */
export const EMULATOR_STYLESHEET_PATH = '/emulator/assets/emulator.css';

export const EMULATOR_STYLESHEET = `
:root { color-scheme: light dark; font-family: "Segoe UI", system-ui, sans-serif; }
body { margin: 0; background: Canvas; color: CanvasText; }
main { max-width: 34rem; margin: 3rem auto; padding: 2rem; border: 1px solid GrayText; border-radius: 8px; }
h1 { font-size: 1.5rem; margin-top: 0; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.banner { background: #fff4ce; color: #3b2e00; padding: .5rem .75rem; border-radius: 4px; }
ul.accounts { list-style: none; padding: 0; margin: 0; }
ul.accounts li { margin: .25rem 0; }
ul.accounts button { width: 100%; text-align: start; padding: .6rem .75rem; font: inherit; cursor: pointer;
  border: 1px solid GrayText; border-radius: 4px; background: Canvas; color: CanvasText; }
ul.accounts button:hover, ul.accounts button:focus-visible { outline: 3px solid #0f6cbd; outline-offset: 1px; }
.upn { display: block; font-size: .875rem; opacity: .8; }
.suggested { font-size: .8rem; font-weight: 600; color: #0f6cbd; }
.error { border-left: 4px solid #c50f1f; padding-left: .75rem; }
code { word-break: break-all; }
main.wide { max-width: 72rem; }
.site-header { padding: .75rem 2rem; border-bottom: 1px solid GrayText; }
.site-header .brand { font-weight: 600; font-size: 1.1rem; }
table.table { border-collapse: collapse; width: 100%; }
table.table th, table.table td { text-align: start; padding: .35rem .5rem; border-bottom: 1px solid GrayText; vertical-align: top; }
pre.mail-text { white-space: pre-wrap; word-break: break-word; }
`;

/** Submits the form_post form; a separate file so a strict CSP (no inline scripts) still works. */
export const FORM_POST_SCRIPT = 'document.getElementById("form-post").submit();\n';

export function page(input: { lang: PageLanguage; title: string; body: string; script?: string }): string {
  return `<!DOCTYPE html>
<html lang="${input.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(input.title)}</title>
<link rel="stylesheet" href="${EMULATOR_STYLESHEET_PATH}">
</head>
<body>
<main>
${input.body}
</main>
${input.script ? `<script src="${escapeHtml(input.script)}"></script>` : ''}
</body>
</html>
`;
}
