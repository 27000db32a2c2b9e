import { z } from 'zod';

export const emailSettingsSchema = z.object({
  /** The inbound address of a ticket system (or any mailbox) the mail is forwarded to. */
  to: z.string().trim().max(254).pipe(z.email('is not an e-mail address')),
  /** Put before the original subject, so the receiving side can route or recognise it. */
  subjectPrefix: z
    .string()
    .max(60, 'must be at most 60 characters')
    .refine((value) => !/[\r\n\p{Cc}]/u.test(value), 'must be one line')
    .default('[Mailissa]'),
});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;
