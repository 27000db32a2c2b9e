/** A mail the product sends. Plain text always; HTML only as an alternative to it. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** Extra header lines, e.g. List-Unsubscribe; nodemailer encodes them. */
  headers?: Record<string, string>;
  /** Our own Message-ID (`<…@…>`), where a resend must be recognisable as the same mail. */
  messageId?: string;
  /** Files: an invoice's PDF in memory, or streamed as it is sent (the e-mail connector's original). */
  attachments?: OutgoingAttachment[];
}

export interface OutgoingAttachment {
  filename: string;
  /** `message/rfc822` travels unencoded, byte for byte (nodemailer encodes no `message/*` part). */
  contentType: string;
  content: Uint8Array | ReadableStream<Uint8Array>;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}
