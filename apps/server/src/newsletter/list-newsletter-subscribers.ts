import type { NewsletterStatistics, NewsletterSubscriber } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import {
  type NewsletterSubscriberRow,
  SUBSCRIBER_COLUMNS,
  toNewsletterSubscriber,
} from './newsletter.rows.js';

/** Subscribers with their proof of consent, for the operator console; newest sign-ups first. */
export async function listNewsletterSubscribers(
  db: Queryable,
  options: { status: 'pending' | 'confirmed' | 'all'; limit?: number },
): Promise<NewsletterSubscriber[]> {
  const result = await db.query<NewsletterSubscriberRow>(
    `select ${SUBSCRIBER_COLUMNS} from newsletter_subscribers
      where ($1 = 'all' or status = $1)
      order by signed_up_at desc
      limit $2`,
    [options.status, options.limit ?? 1000],
  );
  return result.rows.map(toNewsletterSubscriber);
}

export async function newsletterStatistics(db: Queryable): Promise<NewsletterStatistics> {
  const result = await db.query<{ pending: string; confirmed: string; campaigns: string }>(
    `select
       (select count(*) from newsletter_subscribers where status = 'pending') as pending,
       (select count(*) from newsletter_subscribers where status = 'confirmed') as confirmed,
       (select count(*) from newsletter_campaigns) as campaigns`,
  );
  const row = result.rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    confirmed: Number(row?.confirmed ?? 0),
    campaigns: Number(row?.campaigns ?? 0),
  };
}
