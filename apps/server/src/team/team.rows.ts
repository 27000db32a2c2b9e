import type { AdminTeam, TeamMailSummary } from '@mailissa/contracts';

export interface TeamRow {
  id: string;
  tenant_id: string;
  name: string;
  shared_mailbox: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TeamMemberRow {
  team_id: string;
  principal_type: 'user' | 'group';
  principal_id: string;
  display_name: string;
}

export interface TeamMailRow {
  id: string;
  team_id: string;
  internet_message_id: string;
  fingerprint: string;
  subject: string;
  sender_name: string;
  sender_address: string;
  received_at: Date | null;
  first_seen_at: Date;
  status: 'open' | 'pending' | 'done';
  assignee_user_id: string | null;
  assignee_name: string | null;
  done_at: Date | null;
  updated_at: Date;
  category_ids: string[] | null;
}

/** The select list and joins that give a TeamMailRow (`m` is team_mails). */
export const TEAM_MAIL_SELECT = `
  m.id, m.team_id, m.internet_message_id, m.fingerprint, m.subject, m.sender_name, m.sender_address,
  m.received_at, m.first_seen_at, m.status, m.assignee_user_id, a.display_name as assignee_name,
  m.done_at, m.updated_at,
  (select array_agg(c.category_id order by c.added_at, c.category_id) from team_mail_categories c
    where c.tenant_id = m.tenant_id and c.team_mail_id = m.id) as category_ids
  from team_mails m
  left join users a on a.id = m.assignee_user_id and a.tenant_id = m.tenant_id`;

export function toTeamMailSummary(row: TeamMailRow): TeamMailSummary {
  return {
    id: row.id,
    teamId: row.team_id,
    internetMessageId: row.internet_message_id,
    subject: row.subject,
    sender: { name: row.sender_name, address: row.sender_address },
    receivedAt: row.received_at?.toISOString() ?? null,
    firstSeenAt: row.first_seen_at.toISOString(),
    status: row.status,
    categoryIds: row.category_ids ?? [],
    assignee:
      row.assignee_user_id && row.assignee_name !== null
        ? { userId: row.assignee_user_id, displayName: row.assignee_name }
        : null,
    doneAt: row.done_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toAdminTeam(row: TeamRow, members: TeamMemberRow[], categoryIds: string[]): AdminTeam {
  return {
    id: row.id,
    name: row.name,
    sharedMailbox: row.shared_mailbox,
    members: members.map((member) => ({
      type: member.principal_type,
      id: member.principal_id,
      displayName: member.display_name,
    })),
    categoryIds,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
