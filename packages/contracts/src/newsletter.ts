import { z } from 'zod';
import { safeText } from './text.js';

export const subscriberStatusSchema = z.enum(['pending', 'confirmed']);

export const newsletterSubscriberSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  status: subscriberStatusSchema,
  /** The proof of consent (double opt-in). */
  consent: z.object({
    version: z.string(),
    language: z.enum(['en', 'de']),
    signedUpAt: z.iso.datetime(),
    /** The truncated network (IPv4 /24, IPv6 /48) the sign-up came from. */
    signUpNetwork: z.string(),
    confirmedAt: z.iso.datetime().nullable(),
    confirmationNetwork: z.string().nullable(),
  }),
});
export type NewsletterSubscriber = z.infer<typeof newsletterSubscriberSchema>;

export const campaignStateSchema = z.enum(['queued', 'sending', 'sent']);

export const newsletterCampaignSchema = z.object({
  id: z.uuid(),
  subject: z.string(),
  bodyText: z.string(),
  createdAt: z.iso.datetime(),
  state: campaignStateSchema,
  /** Confirmed subscribers when the campaign was created; it goes to them only. */
  recipients: z.number().int(),
  sentCount: z.number().int(),
  finishedAt: z.iso.datetime().nullable(),
});
export type NewsletterCampaign = z.infer<typeof newsletterCampaignSchema>;

/** `POST /operator/api/newsletter/campaigns`: a subject and a plain-text body (an unsubscribe footer is added). */
export const newCampaignSchema = z.object({
  subject: safeText({ name: true })
    .trim()
    .min(1, 'Write a subject.')
    .max(200, 'Keep the subject to 200 characters.'),
  bodyText: safeText({ multiline: true })
    .trim()
    .min(1, 'Write the newsletter text.')
    .max(50_000, 'Keep the text to 50,000 characters.'),
});
export type NewCampaign = z.infer<typeof newCampaignSchema>;

export const newsletterStatisticsSchema = z.object({
  pending: z.number().int(),
  confirmed: z.number().int(),
  campaigns: z.number().int(),
});
export type NewsletterStatistics = z.infer<typeof newsletterStatisticsSchema>;

/** `GET /operator/api/newsletter/subscribers?status=` */
export const listSubscribersQuerySchema = z.object({
  status: z.enum(['pending', 'confirmed', 'all']).default('all'),
});
export const newsletterOverviewSchema = z.object({
  subscribers: z.array(newsletterSubscriberSchema),
  statistics: newsletterStatisticsSchema,
  /** The consent wordings by version, as the sign-up form showed them. */
  wordings: z.record(z.string(), z.object({ en: z.string(), de: z.string() })),
});
export type NewsletterOverview = z.infer<typeof newsletterOverviewSchema>;

/** `DELETE /operator/api/newsletter/subscribers/:id` */
export const removeSubscriberResponseSchema = z.object({
  outcome: z.enum(['unsubscribed', 'not_subscribed']),
});
export type RemoveSubscriberResponse = z.infer<typeof removeSubscriberResponseSchema>;

/** `GET /operator/api/newsletter/campaigns` */
export const listCampaignsResponseSchema = z.object({ campaigns: z.array(newsletterCampaignSchema) });
export type ListCampaignsResponse = z.infer<typeof listCampaignsResponseSchema>;
