import mimeTypes from 'mime-types';
import type { Connector, MailPart } from '../connector.js';
import { oneLine, partFileName, senderText } from '../rest-target/mail-fields.js';
import { createOnce } from '../rest-target/record-once.js';
import { validateWith } from '../rest-target/validate-settings.js';
import { type EmailSettings, emailSettingsSchema } from './email.schemas.js';

/**
 * A part's bytes, opened from Microsoft 365 only when the mail being sent reaches it: nodemailer
 * writes parts in order, so no part waits open (and nothing is buffered) while another is sent.
 */
function lazyStream(part: MailPart): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= (await part.open()).body.getReader();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}

function contentTypeOf(part: MailPart, fileName: string): string {
  // message/rfc822 travels unencoded: the receiver gets the original MIME byte for byte.
  if (part.key === 'message') return 'message/rfc822';
  return mimeTypes.lookup(fileName) || 'application/octet-stream';
}

export const emailConnector: Connector<EmailSettings> = {
  type: 'email',
  names: { en: 'E-mail (forward)', de: 'E-Mail (weiterleiten)' },
  picker: null,
  credentialKind: 'none',
  credentialFields: [],
  capabilities: [],
  settingsSchema: emailSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'to',
        kind: 'email',
        required: true,
        label: { en: 'Forward to', de: 'Weiterleiten an' },
        help: {
          en: 'E.g. the inbound address of a ticket system. The mail arrives attached, unchanged.',
          de: 'Z. B. die Eingangsadresse eines Ticketsystems. Die E-Mail kommt unverändert als Anhang an.',
        },
      },
      {
        key: 'subjectPrefix',
        kind: 'text',
        required: false,
        label: { en: 'Subject prefix', de: 'Betreff-Präfix' },
        help: { en: '[Mailissa] unless set.', de: '[Mailissa], wenn leer.' },
      },
    ];
  },

  validateSettings(input) {
    // An empty prefix field from the form means the default.
    const raw = input as Record<string, unknown> | null;
    const cleaned =
      raw && typeof raw === 'object' && raw.subjectPrefix === ''
        ? { ...raw, subjectPrefix: undefined }
        : input;
    return validateWith(emailSettingsSchema, cleaned);
  },

  async testConnection(_context, settings) {
    // A test mail to a ticket system would open a ticket: the address is checked by its form only.
    return {
      ok: true,
      message: `Mails go to ${settings.to} through Mailissa's mail server; no test mail is sent.`,
    };
  },

  async transferMail(context, settings, mail, progress) {
    const mailer = context.mailer;
    if (!mailer) throw new Error('the e-mail connector needs the mail sender from the transfer');
    // One forwarded mail per transfer, its Message-ID made from a marker kept across retries
    // (decision 101): SMTP cannot be asked whether an earlier try arrived, so a retry sends again
    // with the same Message-ID, which ticket systems use to drop a repeat.
    await createOnce(progress, {
      async find() {
        return undefined;
      },
      async create(marker) {
        const subject = oneLine(mail.subject, 200, '(no subject)');
        const sender = senderText(mail);
        await mailer.forward({
          to: settings.to,
          subject: `${settings.subjectPrefix} ${subject}`.trim(),
          text: [
            'Forwarded by Mailissa. The original mail is attached unchanged.',
            '',
            ...(sender ? [`From: ${sender}`] : []),
            `Subject: ${subject}`,
            `Received: ${mail.receivedAt.toISOString()}`,
          ].join('\n'),
          marker,
          attachments: mail.parts.map((part) => {
            const filename = partFileName(mail, part);
            return { filename, contentType: contentTypeOf(part, filename), content: lazyStream(part) };
          }),
        });
        return marker;
      },
    });
    return { url: null, files: [] };
  },

  async findExistingRecords() {
    return [];
  },
};
