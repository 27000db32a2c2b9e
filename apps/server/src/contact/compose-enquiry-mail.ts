import type { ContactEnquiry } from '@mailissa/contracts';
import type { OutgoingMail } from '../mail/mail.schemas.js';
import { html } from '../website/html.js';

/**
 * The mail that tells the operator about an enquiry. Reply-To is the enquirer, so answering is one
 * click. Everything the visitor typed is escaped in the HTML part and plain in the text part.
 */
export function composeEnquiryMail(
  enquiry: Pick<ContactEnquiry, 'id' | 'name' | 'email' | 'company' | 'message' | 'language' | 'receivedAt'>,
  options: { to: string; consoleUrl: string },
): OutgoingMail {
  const company = enquiry.company ?? '—';
  const text = [
    `New enquiry from the website contact form (${enquiry.language.toUpperCase()}).`,
    '',
    `Name:     ${enquiry.name}`,
    `E-mail:   ${enquiry.email}`,
    `Company:  ${company}`,
    `Received: ${enquiry.receivedAt}`,
    '',
    enquiry.message,
    '',
    '--',
    `Use this enquiry only to answer it. Close it in the operator console when done: ${options.consoleUrl}`,
  ].join('\n');
  const body = html`<p>New enquiry from the website contact form (${enquiry.language.toUpperCase()}).</p>
<table>
<tr><th align="left">Name</th><td>${enquiry.name}</td></tr>
<tr><th align="left">E-mail</th><td>${enquiry.email}</td></tr>
<tr><th align="left">Company</th><td>${company}</td></tr>
<tr><th align="left">Received</th><td>${enquiry.receivedAt}</td></tr>
</table>
<pre style="white-space: pre-wrap; font-family: inherit">${enquiry.message}</pre>
<hr>
<p>Use this enquiry only to answer it. Close it in the <a href="${options.consoleUrl}">operator console</a> when done.</p>`;
  return {
    to: options.to,
    replyTo: enquiry.email,
    subject: `Contact enquiry: ${enquiry.name}${enquiry.company ? ` (${enquiry.company})` : ''}`,
    text,
    html: body.value,
  };
}
