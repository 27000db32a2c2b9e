import type { TeamMailSummary, TeamStatus } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { TEAM_MAIL_SELECT, type TeamMailRow, toTeamMailSummary } from './team.rows.js';

export interface TeamMailFilter {
  status?: TeamStatus | undefined;
  categoryId?: string | undefined;
  /** A users.id (the route turns `me` into the viewer's id). */
  assigneeUserId?: string | undefined;
  /** Matched against subject, sender name and address. */
  q?: string | undefined;
}

/** The team list: newest activity first, at most 200. Inside withTenant(). */
export async function listTeamMails(
  tx: Queryable,
  tenantId: string,
  teamId: string,
  filter: TeamMailFilter,
): Promise<TeamMailSummary[]> {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await tx.query<TeamMailRow>(
    `select ${TEAM_MAIL_SELECT}
      where m.tenant_id = $1 and m.team_id = $2
        and ($3::text is null or m.status = $3)
        and ($4::uuid is null or exists (select 1 from team_mail_categories c
              where c.tenant_id = m.tenant_id and c.team_mail_id = m.id and c.category_id = $4))
        and ($5::uuid is null or m.assignee_user_id = $5)
        and ($6::text is null or m.subject ilike $6 or m.sender_name ilike $6 or m.sender_address ilike $6)
      order by m.updated_at desc, m.id
      limit 200`,
    [
      tenantId,
      teamId,
      filter.status ?? null,
      filter.categoryId ?? null,
      filter.assigneeUserId ?? null,
      pattern,
    ],
  );
  return rows.rows.map(toTeamMailSummary);
}
