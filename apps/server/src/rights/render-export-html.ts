import { html, type SafeHtml } from '../website/html.js';
import type { Lang } from '../website/i18n.js';
import type { SubjectExport } from './export-subject-data.js';

const TEXT = {
  title: { en: 'Your data at Mailissa', de: 'Ihre Daten bei Mailissa' },
  intro: {
    en: 'Everything Mailissa stores about you, table by table, as of {time}. The same data as JSON (machine-readable, Art. 20 GDPR) is available from the same place.',
    de: 'Alles, was Mailissa über Sie speichert, Tabelle für Tabelle, Stand {time}. Dieselben Daten als JSON (maschinenlesbar, Art. 20 DSGVO) erhalten Sie an derselben Stelle.',
  },
  none: { en: 'No entries.', de: 'Keine Einträge.' },
  held: { en: 'Kept under a legal obligation', de: 'Aufgrund einer gesetzlichen Pflicht aufbewahrt' },
  until: { en: 'Kept until', de: 'Aufbewahrt bis' },
  notAttributable: {
    en: 'Data we cannot attribute to you',
    de: 'Daten, die wir Ihnen nicht zuordnen können',
  },
  column: { en: 'Field', de: 'Feld' },
  meaning: { en: 'What it is', de: 'Bedeutung' },
  value: { en: 'Value', de: 'Wert' },
  complain: {
    en: 'You may also complain to a data protection supervisory authority (Art. 77 GDPR).',
    de: 'Sie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).',
  },
} as const;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The export as a readable, self-contained HTML page in the person's language. Its one `<style>`
 * carries the response's CSP nonce (http/security-headers.ts), so the page needs no 'unsafe-inline'.
 */
export function renderExportHtml(data: SubjectExport, lang: Lang, styleNonce: string | null): string {
  const tables: SafeHtml[] = data.tables.map(
    (table) => html`<section>
  <h2>${table.table}</h2>
  ${
    table.rows.length === 0
      ? html`<p>${TEXT.none[lang]}</p>`
      : table.rows.map(
          (row) => html`<table>
    <thead><tr><th>${TEXT.column[lang]}</th><th>${TEXT.meaning[lang]}</th><th>${TEXT.value[lang]}</th></tr></thead>
    <tbody>${table.columns.map(
      (column) =>
        html`<tr><td><code>${column.name}</code></td><td>${column.what?.[lang] ?? ''}</td><td>${show(row[column.name])}</td></tr>`,
    )}</tbody>
  </table>`,
        )
  }
</section>`,
  );
  const held = data.held.map(
    (entry) => html`<section class="held">
  <h3>${entry.table}</h3>
  <p>${entry.reason[lang]}</p>
  <p>${TEXT.until[lang]}: ${entry.holdUntil.slice(0, 10)}</p>
  <pre>${JSON.stringify(entry.data, null, 2)}</pre>
</section>`,
  );
  const page = html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${TEXT.title[lang]}</title>
<style${styleNonce ? html` nonce="${styleNonce}"` : ''}>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap}</style>
</head>
<body>
<h1>${TEXT.title[lang]}</h1>
<p>${TEXT.intro[lang].replace('{time}', data.generatedAt)}</p>
${tables}
${data.held.length > 0 ? html`<h2>${TEXT.held[lang]}</h2>${held}` : ''}
<h2>${TEXT.notAttributable[lang]}</h2>
<ul>${data.notAttributable.map((entry) => html`<li><code>${entry.table}</code>: ${entry.reason[lang]}</li>`)}</ul>
<p>${TEXT.complain[lang]}</p>
</body>
</html>`;
  return page.toString();
}
