import type { Queryable } from '../db/database.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { composeCampaignMail, unsubscribeUrl } from './compose-newsletter-mails.js';
import {
  CAMPAIGN_COLUMNS,
  type NewsletterCampaignRow,
  type NewsletterSubscriberRow,
  SUBSCRIBER_COLUMNS,
} from './newsletter.rows.js';
import type { NewsletterTokens } from './newsletter-tokens.js';

const BATCH = 100;

/**
 * Sends a campaign to the subscribers confirmed when it was created, in id order, moving a cursor
 * after each mail. A restarted or retried job carries on after the cursor, so nobody gets it twice
 * (except the one mail in flight at a crash) and nobody unsubscribed meanwhile gets it at all.
 */
export async function sendNewsletterCampaign(
  deps: { db: Queryable; mail: MailSender; tokens: NewsletterTokens; publicBaseUrl: string; now: () => Date },
  campaignId: string,
): Promise<{ sent: number }> {
  const found = await deps.db.query<NewsletterCampaignRow>(
    `select ${CAMPAIGN_COLUMNS} from newsletter_campaigns where id = $1`,
    [campaignId],
  );
  const campaign = found.rows[0];
  if (!campaign || campaign.state === 'sent') return { sent: 0 };
  await deps.db.query(`update newsletter_campaigns set state = 'sending' where id = $1`, [campaignId]);
  let cursor = campaign.cursor_subscriber_id;
  let sent = 0;
  for (;;) {
    const batch = await deps.db.query<NewsletterSubscriberRow>(
      `select ${SUBSCRIBER_COLUMNS} from newsletter_subscribers
        where status = 'confirmed' and confirmed_at <= $1 and ($2::uuid is null or id > $2::uuid)
        order by id
        limit ${BATCH}`,
      [campaign.created_at, cursor],
    );
    for (const subscriber of batch.rows) {
      // Re-checked per mail: whoever unsubscribed while the campaign runs is skipped.
      const still = await deps.db.query('select 1 from newsletter_subscribers where id = $1', [
        subscriber.id,
      ]);
      if (still.rowCount > 0) {
        await deps.mail.send(
          composeCampaignMail({
            to: subscriber.email,
            lang: subscriber.consent_language,
            subject: campaign.subject,
            bodyText: campaign.body_text,
            unsubscribeUrl: unsubscribeUrl(
              deps.publicBaseUrl,
              deps.tokens.unsubscribeToken(subscriber.id),
              subscriber.consent_language,
            ),
          }),
        );
        sent += 1;
      }
      cursor = subscriber.id;
      await deps.db.query(
        `update newsletter_campaigns
            set cursor_subscriber_id = $2, sent_count = sent_count + $3
          where id = $1`,
        [campaignId, cursor, still.rowCount > 0 ? 1 : 0],
      );
    }
    if (batch.rows.length < BATCH) break;
  }
  await deps.db.query(`update newsletter_campaigns set state = 'sent', finished_at = $2 where id = $1`, [
    campaignId,
    deps.now(),
  ]);
  return { sent };
}
