/** A mail the product sends. Plain text always; HTML only as an alternative to it. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** Extra header lines, e.g. List-Unsubscribe; nodemailer encodes them. */
  headers?: Record<string, string>;
  /** A fixed Message-ID (`<…@…>`): a mail sent twice by a retry is then recognisably the same mail. */
  messageId?: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}
