import { z } from 'zod';

/** Hosts that plain `http:` is allowed for: only loopback, which the SSRF guard admits in demo mode alone. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The receiver's address: HTTPS (the payload carries links that open the mail); plain HTTP on loopback only. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => URL.canParse(value), { message: 'is not a URL', abort: true })
  .refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    },
    { message: 'must be an https:// address', abort: true },
  )
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not contain a user name or password (the signature authenticates the call)');

export const webhookSettingsSchema = z.object({
  url: webhookUrlSchema,
  /** How long the download links in a call work; the receiver fetches the files within it. */
  linkMinutes: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be whole minutes')
    .min(5, 'must be at least 5 minutes')
    .max(1440, 'must be at most 1440 minutes (a day)')
    .default(60),
});
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

/** The signing secret as Standard Webhooks writes it: `whsec_` and base64 of 24 to 64 random bytes. */
export const webhookCredentialSchema = z.object({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'is not a webhook signing secret'),
});

/** The event this connector sends: Standard Webhooks' recommended envelope `{ type, timestamp, data }`. */
export interface WebhookPayload {
  type: 'mail.transferred' | 'webhook.test';
  timestamp: string;
  data: Record<string, unknown>;
}
