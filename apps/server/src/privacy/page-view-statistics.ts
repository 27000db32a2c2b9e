import type { Queryable } from '../db/database.js';

export interface PageViews {
  day: string;
  path: string;
  views: number;
}

/** Cookieless page views of visitors who allowed statistics, per day and page, for the operator. */
export async function pageViewStatistics(
  db: Queryable,
  options: { since: Date; until: Date },
): Promise<PageViews[]> {
  const result = await db.query<{ day: string; path: string; views: number }>(
    `select day::text as day, path, views::int as views from site_page_views
      where day >= $1::date and day < $2::date order by day desc, views desc, path limit 1000`,
    [options.since.toISOString().slice(0, 10), options.until.toISOString().slice(0, 10)],
  );
  return result.rows;
}
