import { formAlerts, trapField } from '../website/forms/site-form.js';
import { html, type Localised, type PageContent, type PageView, siteHref } from '../website/layout.js';
import type { ErasureOutcome } from './erase-subject-data.js';
import type { SubjectExport } from './export-subject-data.js';
import type { RequestKind } from './rights-requests.rows.js';

export const TEXT = {
  title: { en: 'Your data protection rights', de: 'Ihre Datenschutzrechte' },
  intro: {
    en: 'Ask us for access to your data (also as a machine-readable file), its correction or erasure, or restrict or object to a processing. We first send a link to your e-mail address: nothing happens until you confirm it. We answer within one month.',
    de: 'Verlangen Sie Auskunft über Ihre Daten (auch als maschinenlesbare Datei), deren Berichtigung oder Löschung, oder schränken Sie eine Verarbeitung ein bzw. widersprechen Sie ihr. Wir senden zuerst einen Link an Ihre E-Mail-Adresse: Erst wenn Sie ihn bestätigen, geschieht etwas. Wir antworten innerhalb eines Monats.',
  },
  signedIn: {
    en: 'Using Mailissa with your Microsoft 365 account? Open “Your data” in the add-in or the portal: there you download or delete your data at once.',
    de: 'Sie nutzen Mailissa mit Ihrem Microsoft-365-Konto? Öffnen Sie „Ihre Daten“ im Add-in oder im Portal: Dort laden Sie Ihre Daten sofort herunter oder löschen sie.',
  },
  email: { en: 'Your e-mail address', de: 'Ihre E-Mail-Adresse' },
  kind: { en: 'What do you ask for?', de: 'Was verlangen Sie?' },
  details: {
    en: 'Details (optional; for a correction: what is wrong; for an objection: your reasons)',
    de: 'Einzelheiten (optional; bei Berichtigung: was falsch ist; bei Widerspruch: Ihre Gründe)',
  },
  send: { en: 'Send request', de: 'Anfrage senden' },
  errorSummary: {
    en: 'Please check the fields marked below.',
    de: 'Bitte prüfen Sie die unten markierten Felder.',
  },
  kindInvalid: { en: 'Please choose what you ask for.', de: 'Bitte wählen Sie, was Sie verlangen.' },
  detailsTooLong: {
    en: 'Please keep the details under 2000 characters.',
    de: 'Bitte fassen Sie sich in unter 2000 Zeichen.',
  },
  sentTitle: { en: 'Please check your mailbox', de: 'Bitte sehen Sie in Ihr Postfach' },
  sentText: {
    en: 'If the address is valid, a link to confirm your request is on its way. It works once, for 24 hours.',
    de: 'Ist die Adresse gültig, ist ein Link zur Bestätigung Ihrer Anfrage unterwegs. Er funktioniert einmal, 24 Stunden lang.',
  },
  confirmTitle: { en: 'Confirm your request', de: 'Anfrage bestätigen' },
  confirmText: {
    en: 'Confirm that you, the owner of this e-mail address, make this request:',
    de: 'Bestätigen Sie, dass Sie als Inhaber dieser E-Mail-Adresse diese Anfrage stellen:',
  },
  confirm: { en: 'Confirm request', de: 'Anfrage bestätigen' },
  invalidTitle: { en: 'This link no longer works', de: 'Dieser Link funktioniert nicht mehr' },
  invalidText: {
    en: 'It was used already, has expired, or is incomplete. You can send the request again.',
    de: 'Er wurde schon verwendet, ist abgelaufen oder unvollständig. Sie können die Anfrage erneut senden.',
  },
  doneTitle: { en: 'Your request is confirmed', de: 'Ihre Anfrage ist bestätigt' },
  openText: {
    en: 'We will answer by {date} at the latest and have sent you a confirmation by e-mail.',
    de: 'Wir antworten spätestens am {date} und haben Ihnen eine Bestätigung per E-Mail gesendet.',
  },
  exportText: {
    en: 'Here is all the data we hold about this e-mail address. We have also sent it to you by e-mail.',
    de: 'Hier sind alle Daten, die wir zu dieser E-Mail-Adresse speichern. Wir haben sie Ihnen auch per E-Mail gesendet.',
  },
  nothingHeld: {
    en: 'We hold no data about this e-mail address.',
    de: 'Wir speichern keine Daten zu dieser E-Mail-Adresse.',
  },
  erasedText: { en: 'We have erased:', de: 'Wir haben gelöscht:' },
  keptText: { en: 'What we must keep, and why:', de: 'Was wir behalten müssen, und warum:' },
  lockedUntil: { en: 'locked until', de: 'gesperrt bis' },
  rows: { en: 'entries', de: 'Einträge' },
  complain: {
    en: 'You also have the right to complain to a data protection supervisory authority (Art. 77 GDPR).',
    de: 'Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO).',
  },
  tooFast: {
    en: 'That was very quick. Please check your entries and send the form again.',
    de: 'Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular erneut.',
  },
  rateLimited: {
    en: 'We have received several requests from your connection just now. Please try again in {minutes} minutes.',
    de: 'Von Ihrer Verbindung kamen gerade mehrere Anfragen. Bitte versuchen Sie es in {minutes} Minuten erneut.',
  },
} satisfies Record<string, Localised>;

export const KIND_LABELS: Record<RequestKind, Localised> = {
  access: {
    en: 'Access to my data and a copy of it (Art. 15, 20 GDPR)',
    de: 'Auskunft und Kopie meiner Daten (Art. 15, 20 DSGVO)',
  },
  rectification: {
    en: 'Correction of my data (Art. 16 GDPR)',
    de: 'Berichtigung meiner Daten (Art. 16 DSGVO)',
  },
  erasure: { en: 'Erasure of my data (Art. 17 GDPR)', de: 'Löschung meiner Daten (Art. 17 DSGVO)' },
  restriction: {
    en: 'Restriction of processing (Art. 18 GDPR)',
    de: 'Einschränkung der Verarbeitung (Art. 18 DSGVO)',
  },
  objection: {
    en: 'Objection to processing (Art. 21 GDPR)',
    de: 'Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)',
  },
};

export type RequestField = 'email' | 'kind' | 'details';
export type RequestFormValues = Partial<Record<RequestField, string>>;

export function requestFormPage(
  site: PageView,
  options: {
    formToken: string;
    values?: RequestFormValues;
    fieldErrors?: Partial<Record<RequestField, string>>;
    formError?: string;
  },
): PageContent {
  const { lang } = site;
  const values = options.values ?? {};
  const errors = options.fieldErrors ?? {};
  const invalid = (name: RequestField) =>
    errors[name] ? html` aria-describedby="rights-${name}-error" aria-invalid="true"` : html``;
  const error = (name: RequestField) =>
    errors[name] ? html`<p class="field-error" id="rights-${name}-error">${errors[name]}</p>` : '';
  const main = html`<section class="wrap page">
  <h1>${TEXT.title[lang]}</h1>
  <p>${TEXT.intro[lang]}</p>
  <p>${TEXT.signedIn[lang]}</p>
  ${formAlerts(options.formError, Object.keys(errors).length > 0 ? TEXT.errorSummary[lang] : undefined)}
  <form class="form" method="post" action="${siteHref(site, '/privacy/request')}" novalidate>
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="form_token" value="${options.formToken}">
    <div class="field${errors.email ? ' field-invalid' : ''}">
      <label for="rights-email">${TEXT.email[lang]}</label>
      <input id="rights-email" name="email" type="email" value="${values.email ?? ''}" maxlength="320" autocomplete="email" required${invalid('email')}>
      ${error('email')}
    </div>
    <fieldset class="field${errors.kind ? ' field-invalid' : ''}">
      <legend>${TEXT.kind[lang]}</legend>
      ${(Object.keys(KIND_LABELS) as RequestKind[]).map(
        (kind) =>
          html`<label class="choice"><input type="radio" name="kind" value="${kind}"${values.kind === kind ? html` checked` : ''}> ${KIND_LABELS[kind][lang]}</label>`,
      )}
      ${error('kind')}
    </fieldset>
    <div class="field${errors.details ? ' field-invalid' : ''}">
      <label for="rights-details">${TEXT.details[lang]}</label>
      <textarea id="rights-details" name="details" rows="4" maxlength="2000"${invalid('details')}>${values.details ?? ''}</textarea>
      ${error('details')}
    </div>
    ${trapField('rights', lang)}
    <button type="submit" class="button button-primary">${TEXT.send[lang]}</button>
  </form>
  <p>${TEXT.complain[lang]}</p>
</section>`;
  return { title: TEXT.title[lang], main };
}

export function requestSentPage(site: PageView): PageContent {
  const { lang } = site;
  return {
    title: TEXT.sentTitle[lang],
    main: html`<section class="wrap page"><h1>${TEXT.sentTitle[lang]}</h1><p class="notice" role="status">${TEXT.sentText[lang]}</p></section>`,
  };
}

export function confirmRequestPage(
  site: PageView,
  request: { token: string; kind: RequestKind; email: string },
): PageContent {
  const { lang } = site;
  return {
    title: TEXT.confirmTitle[lang],
    main: html`<section class="wrap page">
  <h1>${TEXT.confirmTitle[lang]}</h1>
  <p>${TEXT.confirmText[lang]}</p>
  <p><strong>${KIND_LABELS[request.kind][lang]}</strong> — ${request.email}</p>
  <form class="form" method="post" action="${siteHref(site, '/privacy/request/confirm')}">
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="token" value="${request.token}">
    <button type="submit" class="button button-primary">${TEXT.confirm[lang]}</button>
  </form>
</section>`,
  };
}

export function invalidLinkPage(site: PageView): PageContent {
  const { lang } = site;
  return {
    title: TEXT.invalidTitle[lang],
    main: html`<section class="wrap page"><h1>${TEXT.invalidTitle[lang]}</h1><p>${TEXT.invalidText[lang]}</p>
  <p><a href="${siteHref(site, '/privacy/request')}">${TEXT.title[lang]}</a></p></section>`,
  };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** After confirmation: the export, the erasure's outcome, or the deadline of a request we handle by hand. */
export function requestDonePage(
  site: PageView,
  outcome:
    | { kind: 'access'; data: SubjectExport }
    | { kind: 'erasure'; outcomes: ErasureOutcome[] }
    | { kind: 'open'; dueAt: Date },
): PageContent {
  const { lang } = site;
  let body = html``;
  if (outcome.kind === 'open') {
    const date = outcome.dueAt.toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', {
      timeZone: 'UTC',
      dateStyle: 'long',
    });
    body = html`<p class="notice" role="status">${TEXT.openText[lang].replace('{date}', date)}</p>`;
  } else if (outcome.kind === 'access') {
    const tables = outcome.data.tables.filter((table) => table.rows.length > 0);
    body = html`<p>${tables.length + outcome.data.held.length === 0 ? TEXT.nothingHeld[lang] : TEXT.exportText[lang]}</p>
  ${tables.map(
    (table) =>
      html`<section class="export-table" data-table="${table.table}"><h2>${table.table}</h2>${table.rows.map(
        (row) =>
          html`<dl>${table.columns.map((column) => html`<dt>${column.what?.[lang] ?? column.name}</dt><dd>${show(row[column.name])}</dd>`)}</dl>`,
      )}</section>`,
  )}
  ${outcome.data.held.map(
    (held) =>
      html`<section class="export-table" data-table="${held.table}"><h2>${held.table} (${TEXT.lockedUntil[lang]} ${held.holdUntil.slice(0, 10)})</h2><p>${held.reason[lang]}</p></section>`,
  )}`;
  } else {
    const erased = outcome.outcomes.filter((entry) => entry.action === 'erased');
    const kept = outcome.outcomes.filter((entry) => entry.action !== 'erased');
    body = html`<p>${TEXT.erasedText[lang]}</p>
  <ul class="erased">${erased.map((entry) => html`<li data-table="${entry.table}">${entry.table}: ${entry.rows} ${TEXT.rows[lang]}</li>`)}</ul>
  ${
    kept.length > 0
      ? html`<p>${TEXT.keptText[lang]}</p><ul class="kept">${kept.map(
          (entry) =>
            html`<li data-table="${entry.table}">${entry.table}${entry.holdUntil ? ` (${TEXT.lockedUntil[lang]} ${entry.holdUntil.slice(0, 10)})` : ''}: ${entry.reason?.[lang] ?? ''}</li>`,
        )}</ul>`
      : ''
  }`;
  }
  return {
    title: TEXT.doneTitle[lang],
    main: html`<section class="wrap page"><h1>${TEXT.doneTitle[lang]}</h1>${body}<p>${TEXT.complain[lang]}</p></section>`,
  };
}
