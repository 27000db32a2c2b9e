import type { TeamDashboard } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { teamNotFound } from './team-access.js';

const DAYS = 30;
type Counts = TeamDashboard['counts'];
const zero = (): Counts => ({ open: 0, pending: 0, done: 0 });

/**
 * A team's figures for the portal: mails by status, per category and per assignee, the last 30 days
 * (first seen and done per UTC day) and the median time from first seen to done. Inside withTenant().
 */
export async function getTeamDashboard(
  tx: Queryable,
  tenantId: string,
  teamId: string,
  now: Date,
): Promise<TeamDashboard> {
  const team = await tx.query<{ id: string; name: string }>(
    'select id, name from teams where tenant_id = $1 and id = $2',
    [tenantId, teamId],
  );
  const row = team.rows[0];
  if (!row) throw teamNotFound();
  const byStatus = await tx.query<{ status: keyof Counts; n: number }>(
    `select status, count(*)::int as n from team_mails where tenant_id = $1 and team_id = $2 group by status`,
    [tenantId, teamId],
  );
  const counts = zero();
  for (const entry of byStatus.rows) counts[entry.status] = entry.n;

  const byCategory = await tx.query<{
    category_id: string;
    name_en: string;
    name_de: string;
    color: string;
    status: keyof Counts | null;
    n: number;
  }>(
    `select c.id as category_id, c.name_en, c.name_de, c.color, m.status, count(m.id)::int as n
       from team_categories t
       join categories c on c.id = t.category_id and c.tenant_id = t.tenant_id
       left join team_mail_categories mc on mc.category_id = c.id and mc.tenant_id = t.tenant_id
       left join team_mails m on m.id = mc.team_mail_id and m.team_id = t.team_id and m.tenant_id = t.tenant_id
      where t.tenant_id = $1 and t.team_id = $2
      group by c.id, c.name_en, c.name_de, c.color, c.position, m.status
      order by c.position, c.name_en`,
    [tenantId, teamId],
  );
  const categories = new Map<string, TeamDashboard['byCategory'][number]>();
  for (const entry of byCategory.rows) {
    const item = categories.get(entry.category_id) ?? {
      categoryId: entry.category_id,
      name: { en: entry.name_en, de: entry.name_de },
      color: entry.color,
      counts: zero(),
    };
    if (entry.status) item.counts[entry.status] += entry.n;
    categories.set(entry.category_id, item);
  }

  const byAssignee = await tx.query<{
    user_id: string | null;
    display_name: string | null;
    status: keyof Counts;
    n: number;
  }>(
    `select m.assignee_user_id as user_id, u.display_name, m.status, count(*)::int as n
       from team_mails m left join users u on u.id = m.assignee_user_id and u.tenant_id = m.tenant_id
      where m.tenant_id = $1 and m.team_id = $2
      group by m.assignee_user_id, u.display_name, m.status
      order by u.display_name nulls last`,
    [tenantId, teamId],
  );
  const assignees = new Map<string, TeamDashboard['byAssignee'][number]>();
  for (const entry of byAssignee.rows) {
    const key = entry.user_id ?? '';
    const item = assignees.get(key) ?? {
      userId: entry.user_id,
      displayName: entry.display_name,
      counts: zero(),
    };
    item.counts[entry.status] += entry.n;
    assignees.set(key, item);
  }

  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  const daily = await tx.query<{ day: string; seen: number; done: number }>(
    `select (d.day at time zone 'UTC')::date::text as day,
            (select count(*)::int from team_mails m where m.tenant_id = $1 and m.team_id = $2
               and m.first_seen_at >= d.day and m.first_seen_at < d.day + interval '1 day') as seen,
            (select count(*)::int from team_mails m where m.tenant_id = $1 and m.team_id = $2
               and m.done_at >= d.day and m.done_at < d.day + interval '1 day') as done
       from generate_series($3::timestamptz, $3::timestamptz + interval '${DAYS - 1} days', interval '1 day') as d (day)
      order by d.day`,
    [tenantId, teamId, since.toISOString()],
  );
  const median = await tx.query<{ seconds: number | null }>(
    `select percentile_cont(0.5) within group (order by extract(epoch from done_at - first_seen_at))::float8 as seconds
       from team_mails where tenant_id = $1 and team_id = $2 and done_at >= $3`,
    [tenantId, teamId, since.toISOString()],
  );
  return {
    team: { id: row.id, name: row.name },
    counts,
    byCategory: [...categories.values()],
    byAssignee: [...assignees.values()],
    days: daily.rows.map((day) => ({ day: day.day, seen: day.seen, done: day.done })),
    medianSecondsToDone: median.rows[0]?.seconds ?? null,
  };
}
