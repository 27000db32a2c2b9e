import { z } from 'zod';

/** A mail as the catcher received it: the JSON shape of its API. */
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
  /** Attached files in order; their bytes at `/emulator/mail/{id}/attachments/{index}`. */
  attachments: z.array(
    z.object({ filename: z.string().nullable(), contentType: z.string(), size: z.number().int() }),
  ),
});
export type CaughtMail = z.infer<typeof caughtMailSchema>;
