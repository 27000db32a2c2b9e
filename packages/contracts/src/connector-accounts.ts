import { z } from 'zod';
import { settingFieldSchema } from './admin-targets.js';

// ---- A user's own account for a target system (add-in, "Connect your … account") -----------------

export const targetAccountParamsSchema = z.object({ id: z.uuid() });

/** `GET /api/targets/:id/account` */
export const targetAccountResponseSchema = z.object({
  /** The target's connector needs each user's own credentials. */
  required: z.boolean(),
  connected: z.boolean(),
  /** The system's name in the user's language, e.g. "WebDAV (Nextcloud, ownCloud, …)". */
  system: z.string(),
  /** The form to show (labels in both languages); secrets are `kind: 'secret'`. */
  fields: z.array(settingFieldSchema),
});
export type TargetAccount = z.infer<typeof targetAccountResponseSchema>;

/** `PUT /api/targets/:id/account`: tested with the system before it is stored. */
export const connectTargetAccountBodySchema = z.object({
  credential: z
    .record(z.string().min(1).max(64), z.string().max(4096))
    .refine((fields) => Object.keys(fields).length <= 16, 'has too many fields'),
});
export const connectTargetAccountResponseSchema = z.object({
  connected: z.literal(true),
  message: z.string(),
});
