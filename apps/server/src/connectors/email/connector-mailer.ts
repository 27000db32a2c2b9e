import { AppError } from '../../errors/app-error.js';
import type { MailSender } from '../../mail/mail.schemas.js';
import type { ConnectorMailer } from '../connector.js';

/** What nodemailer puts on an SMTP failure: the server's reply code, or a socket error's code. */
interface SmtpFailure {
  responseCode?: number;
  code?: string;
}

/**
 * The product's SMTP (mail/create-mail-sender.ts) for the e-mail connector. The marker becomes the
 * Message-ID, so a resent forward is recognisable; SMTP failures are ours: a 5xx reply is permanent
 * (the relay refused the recipient or the size), a 4xx reply or a dropped connection is tried again.
 */
export function connectorMailer(sender: MailSender, fromAddress: string): ConnectorMailer {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'mailissa.invalid';
  return {
    async forward(mail) {
      try {
        await sender.send({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: `<${mail.marker}@${domain}>`,
          attachments: mail.attachments,
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'mail_not_configured') {
          throw new AppError(
            409,
            'target_misconfigured',
            'This server cannot send mail (SMTP_URL is not set); the e-mail target cannot be used.',
          );
        }
        if (error instanceof AppError) throw error;
        const failure = (error ?? {}) as SmtpFailure;
        const detail = `forward: ${failure.responseCode ?? failure.code ?? 'unknown'}`;
        if (failure.responseCode !== undefined && failure.responseCode >= 500) {
          throw new AppError(
            422,
            'target_rejected',
            `The mail server refused the forwarded mail (${failure.responseCode}).`,
            { detail },
          );
        }
        throw new AppError(
          503,
          'target_unavailable',
          'The mail server is unavailable at the moment; the transfer will try again.',
          { detail },
        );
      }
    },
  };
}
