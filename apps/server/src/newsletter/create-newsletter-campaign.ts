import type { NewCampaign, NewsletterCampaign } from '@mailissa/contracts';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { CAMPAIGN_COLUMNS, type NewsletterCampaignRow, toNewsletterCampaign } from './newsletter.rows.js';

export const SEND_CAMPAIGN_QUEUE = 'newsletter.send-campaign';

/**
 * Records a campaign for everyone confirmed at this moment and queues its sending in the same
 * transaction, so it goes out even if the server restarts halfway (the job resumes where it stopped).
 */
export async function createNewsletterCampaign(
  deps: { db: Database; jobs: JobQueue },
  campaign: NewCampaign,
  now: Date,
): Promise<NewsletterCampaign> {
  return deps.db.transaction(async (tx) => {
    const inserted = await tx.query<NewsletterCampaignRow>(
      `insert into newsletter_campaigns (subject, body_text, created_at, recipients)
       values ($1, $2, $3,
         (select count(*) from newsletter_subscribers where status = 'confirmed' and confirmed_at <= $3))
       returning ${CAMPAIGN_COLUMNS}`,
      [campaign.subject, campaign.bodyText, now],
    );
    const row = inserted.rows[0];
    if (!row) throw new Error('insert into newsletter_campaigns returned no row');
    await deps.jobs.send(
      SEND_CAMPAIGN_QUEUE,
      { campaignId: row.id },
      {
        transaction: tx,
        retryLimit: 20,
        retryDelaySeconds: 60,
        retryBackoff: true,
        expireInSeconds: 6 * 3600,
      },
    );
    return toNewsletterCampaign(row);
  });
}
