import type { TeamActivity, TeamMail, TeamNote } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { TEAM_MAIL_SELECT, type TeamMailRow, toTeamMailSummary } from './team.rows.js';
import { teamMailNotFound } from './team-mail-scope.js';

/** A heartbeat older than this no longer counts as "has the mail open". */
export const PRESENCE_WINDOW_MS = 30_000;

export type Language = 'en' | 'de';

/** Other members with the mail open now (heartbeat within PRESENCE_WINDOW_MS). */
export async function presentOn(
  tx: Queryable,
  tenantId: string,
  mailId: string,
  viewerUserId: string,
  now: Date,
): Promise<TeamMail['present']> {
  const rows = await tx.query<{ user_id: string; display_name: string }>(
    `select p.user_id, u.display_name from team_presence p
       join users u on u.id = p.user_id and u.tenant_id = p.tenant_id
      where p.tenant_id = $1 and p.team_mail_id = $2 and p.user_id <> $3 and p.seen_at > $4
      order by u.display_name`,
    [tenantId, mailId, viewerUserId, new Date(now.getTime() - PRESENCE_WINDOW_MS)],
  );
  return rows.rows.map((row) => ({ userId: row.user_id, displayName: row.display_name }));
}

/** Notes of a mail with their authors and mentions, oldest first. */
export async function notesOf(tx: Queryable, tenantId: string, mailId: string): Promise<TeamNote[]> {
  const rows = await tx.query<{
    id: string;
    author_user_id: string | null;
    author_name: string | null;
    body: string;
    version: number;
    created_at: Date;
    updated_at: Date;
    mentions: string[] | null;
  }>(
    `select n.id, n.author_user_id, u.display_name as author_name, n.body, n.version, n.created_at, n.updated_at,
            (select array_agg(x.user_id order by x.created_at) from team_mentions x
              where x.tenant_id = n.tenant_id and x.note_id = n.id) as mentions
       from team_notes n left join users u on u.id = n.author_user_id and u.tenant_id = n.tenant_id
      where n.tenant_id = $1 and n.team_mail_id = $2
      order by n.created_at, n.id`,
    [tenantId, mailId],
  );
  return rows.rows.map((row) => ({
    id: row.id,
    author: { userId: row.author_user_id, displayName: row.author_name ?? '—' },
    text: row.body,
    mentions: row.mentions ?? [],
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}

async function historyOf(
  tx: Queryable,
  tenantId: string,
  mailId: string,
  language: Language,
): Promise<TeamActivity[]> {
  // The value is shown readable: a category's name in the viewer's language, a person's name. The
  // value is cast to the key's type, not the key to text, so each lookup uses the primary key instead
  // of reading the whole table for every one of up to 200 entries.
  const rows = await tx.query<{
    id: string;
    at: Date;
    actor: string | null;
    action: TeamActivity['action'];
    value: string | null;
  }>(
    `select a.id::text as id, a.at, u.display_name as actor, a.action,
            case when a.action in ('category_added', 'category_removed')
                   then (select case when $3 = 'de' then c.name_de else c.name_en end from categories c
                          where c.tenant_id = a.tenant_id and c.id = a.value::uuid)
                 when a.action = 'assigned'
                   then (select v.display_name from users v where v.tenant_id = a.tenant_id and v.id = a.value::uuid)
                 when a.action = 'status_changed' then a.value
                 else null end as value
       from team_activity a left join users u on u.id = a.actor_user_id and u.tenant_id = a.tenant_id
      where a.tenant_id = $1 and a.team_mail_id = $2
      order by a.at desc, a.id desc
      limit 200`,
    [tenantId, mailId, language],
  );
  return rows.rows.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor ?? 'Outlook',
    action: row.action,
    value: row.value,
  }));
}

/** The whole shared state of one team mail, as the viewer sees it. Inside withTenant(). */
export async function getTeamMail(
  tx: Queryable,
  input: {
    tenantId: string;
    teamId: string;
    mailId: string;
    viewerUserId: string;
    now: Date;
    language: Language;
  },
): Promise<TeamMail> {
  const rows = await tx.query<TeamMailRow>(
    `select ${TEAM_MAIL_SELECT} where m.tenant_id = $1 and m.team_id = $2 and m.id = $3`,
    [input.tenantId, input.teamId, input.mailId],
  );
  const row = rows.rows[0];
  if (!row) throw teamMailNotFound();
  return {
    ...toTeamMailSummary(row),
    notes: await notesOf(tx, input.tenantId, input.mailId),
    history: await historyOf(tx, input.tenantId, input.mailId, input.language),
    present: await presentOn(tx, input.tenantId, input.mailId, input.viewerUserId, input.now),
  };
}
