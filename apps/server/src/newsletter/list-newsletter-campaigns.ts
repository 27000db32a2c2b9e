import type { NewsletterCampaign } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { CAMPAIGN_COLUMNS, type NewsletterCampaignRow, toNewsletterCampaign } from './newsletter.rows.js';

export async function listNewsletterCampaigns(db: Queryable, limit = 100): Promise<NewsletterCampaign[]> {
  const result = await db.query<NewsletterCampaignRow>(
    `select ${CAMPAIGN_COLUMNS} from newsletter_campaigns order by created_at desc limit $1`,
    [limit],
  );
  return result.rows.map(toNewsletterCampaign);
}
