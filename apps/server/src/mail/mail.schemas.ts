import { z } from 'zod';

/** A mail the product sends. Plain text always; HTML only as an alternative to it. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** Extra header lines, e.g. List-Unsubscribe; nodemailer encodes them. */
  headers?: Record<string, string>;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export const caughtMailSummarySchema = z.object({
  id: z.string(),
  receivedAt: z.iso.datetime(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  size: z.number().int(),
});
export type CaughtMailSummary = z.infer<typeof caughtMailSummarySchema>;

export const caughtMailSchema = caughtMailSummarySchema.extend({
  /** Every header line as it arrived, lower-case names. */
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  text: z.string().nullable(),
  html: z.string().nullable(),
});
export type CaughtMail = z.infer<typeof caughtMailSchema>;
