import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import { SEND_CAMPAIGN_QUEUE } from './create-newsletter-campaign.js';
import { deleteExpiredNewsletterSignups } from './delete-expired-newsletter-signups.js';
import { createNewsletterTokens } from './newsletter-tokens.js';
import { sendNewsletterCampaign } from './send-newsletter-campaign.js';
import { sendNewsletterConfirmation } from './send-newsletter-confirmation.js';
import { SEND_CONFIRMATION_QUEUE } from './sign-up-for-newsletter.js';

export const NEWSLETTER_RETENTION_QUEUE = 'newsletter.retention';

/** The confirmation mail of each sign-up, the campaigns' sending, and the hourly retention run. */
export async function newsletterJobs({ context, mail, log }: JobDeps): Promise<JobDefinition[]> {
  const { config, db } = context;
  // The links in the mails carry tokens signed with the website's form-signing secret.
  const tokens = createNewsletterTokens(createFormSigner(await loadFormSigningSecret(config)));
  const mailDeps = { db, mail, tokens, publicBaseUrl: config.publicBaseUrl, now: () => context.now() };
  const confirmation: JobDefinition<{ subscriberId: string }> = {
    queue: SEND_CONFIRMATION_QUEUE,
    async handler(job) {
      await sendNewsletterConfirmation(mailDeps, job.data.subscriberId);
    },
  };
  const campaign: JobDefinition<{ campaignId: string }> = {
    queue: SEND_CAMPAIGN_QUEUE,
    async handler(job) {
      const { sent } = await sendNewsletterCampaign(mailDeps, job.data.campaignId);
      log.info({ campaignId: job.data.campaignId, sent }, 'newsletter campaign sent');
    },
  };
  return [
    confirmation,
    campaign,
    {
      queue: NEWSLETTER_RETENTION_QUEUE,
      cron: '17 * * * *',
      async handler() {
        const deleted = await deleteExpiredNewsletterSignups(db, context.now());
        log.info({ deleted }, 'newsletter retention run');
      },
    },
  ];
}
