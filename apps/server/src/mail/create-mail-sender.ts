import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import nodemailer from 'nodemailer';
import { AppError } from '../errors/app-error.js';
import type { MailSender, OutgoingMail } from './mail.schemas.js';

/**
 * Sends mail over SMTP. The same code path runs against the demo mail catcher and a real relay:
 * only the URL differs. Without a URL (development without SMTP_URL) every send fails with 503.
 */
export function createMailSender(options: { smtpUrl: string | null; from: string }): MailSender {
  if (options.smtpUrl === null) {
    return {
      async send() {
        throw new AppError(503, 'mail_not_configured', 'Sending mail is not configured (SMTP_URL).');
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail: OutgoingMail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
        ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
        ...(mail.headers === undefined ? {} : { headers: mail.headers }),
        ...(mail.messageId === undefined ? {} : { messageId: mail.messageId }),
        ...(mail.attachments === undefined
          ? {}
          : {
              attachments: mail.attachments.map((attachment) => ({
                filename: attachment.filename,
                contentType: attachment.contentType,
                // Bytes in memory (PGlite reads bytea as a plain Uint8Array, node-postgres as a Buffer), or a stream.
                content:
                  attachment.content instanceof Uint8Array
                    ? Buffer.from(
                        attachment.content.buffer,
                        attachment.content.byteOffset,
                        attachment.content.byteLength,
                      )
                    : Readable.fromWeb(attachment.content as NodeWebStream<Uint8Array>),
              })),
            }),
      });
      return { messageId: String(info.messageId) };
    },
    close() {
      transport.close();
    },
  };
}
