import { EMULATOR_STYLESHEET_PATH, html, type SafeHtml } from '../html.js';
import type { CaughtMail, CaughtMailSummary } from './caught-mail.js';

/** The catcher belongs to the emulators, not to the website: a plain page with the emulator's stylesheet. */
function document(title: string, main: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Mail catcher · Mailissa demo</title>
<link rel="stylesheet" href="${EMULATOR_STYLESHEET_PATH}">
</head>
<body>
<header class="site-header"><div class="wrap header-inner"><a class="brand" href="/emulator/mail">Mail catcher</a>
<p>Demo mode: every mail the product sends lands here and goes nowhere else.</p></div></header>
<main id="main" class="wide">
${main}
</main>
</body>
</html>
`;
}

export function renderMailList(messages: CaughtMailSummary[]): SafeHtml {
  const rows = messages.map(
    (message) => html`<tr>
  <td><time datetime="${message.receivedAt}">${message.receivedAt.replace('T', ' ').slice(0, 19)}</time></td>
  <td>${message.from}</td>
  <td>${message.envelopeTo.join(', ')}</td>
  <td><a href="/emulator/mail/${message.id}">${message.subject || '(no subject)'}</a></td>
</tr>`,
  );
  return document(
    'Inbox',
    html`<h1>Caught mail</h1>
<p>${messages.length} message${messages.length === 1 ? '' : 's'}, newest first. <a href="/emulator/mail/api/messages">JSON</a></p>
${
  messages.length === 0
    ? html`<p>Nothing caught yet. Send the contact form or sign up for the newsletter.</p>`
    : html`<table class="table">
<thead><tr><th scope="col">Received (UTC)</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}`,
  );
}

export function renderMailMessage(message: CaughtMail): SafeHtml {
  const headerRows = message.headers.map(
    (header) => html`<tr><th scope="row">${header.name}</th><td>${header.value}</td></tr>`,
  );
  return document(
    message.subject || '(no subject)',
    html`<p><a href="/emulator/mail">← All caught mail</a></p>
<h1>${message.subject || '(no subject)'}</h1>
<dl>
  <dt>From</dt><dd>${message.from}</dd>
  <dt>To</dt><dd>${message.to}</dd>
  <dt>Envelope</dt><dd>${message.envelopeFrom ?? '<>'} → ${message.envelopeTo.join(', ')}</dd>
  <dt>Received</dt><dd>${message.receivedAt}</dd>
</dl>
<p><a href="/emulator/mail/${message.id}/source">Message source</a>${
      message.html === null
        ? ''
        : html` · <a href="/emulator/mail/${message.id}/html">HTML part (scripts off)</a>`
    }</p>
<h2>Text</h2>
<pre class="mail-text">${message.text ?? '(no text part)'}</pre>
<h2>Headers</h2>
<table class="table"><tbody>${headerRows}</tbody></table>`,
  );
}
