import type { AdminTeam, TeamBody } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { type TeamMemberRow, type TeamRow, toAdminTeam } from './team.rows.js';
import { teamNotFound } from './team-access.js';
import { announceTeamEvent } from './team-events.js';

/** The tenant's teams as the portal edits them, by name. Inside withTenant(). */
export async function listAdminTeams(tx: Queryable, tenantId: string, teamId?: string): Promise<AdminTeam[]> {
  const teams = await tx.query<TeamRow>(
    `select * from teams where tenant_id = $1 and ($2::uuid is null or id = $2) order by lower(name), id`,
    [tenantId, teamId ?? null],
  );
  const members = await tx.query<TeamMemberRow>(
    `select team_id, principal_type, principal_id, display_name from team_members
      where tenant_id = $1 and ($2::uuid is null or team_id = $2) order by principal_type desc, display_name`,
    [tenantId, teamId ?? null],
  );
  const categories = await tx.query<{ team_id: string; category_id: string }>(
    `select t.team_id, t.category_id from team_categories t
       join categories c on c.id = t.category_id and c.tenant_id = t.tenant_id
      where t.tenant_id = $1 and ($2::uuid is null or t.team_id = $2) order by c.position, c.name_en`,
    [tenantId, teamId ?? null],
  );
  return teams.rows.map((team) =>
    toAdminTeam(
      team,
      members.rows.filter((m) => m.team_id === team.id),
      categories.rows.filter((c) => c.team_id === team.id).map((c) => c.category_id),
    ),
  );
}

async function checkBody(tx: Queryable, tenantId: string, teamId: string | null, body: TeamBody) {
  const categories = await tx.query<{ id: string }>(
    `select id from categories where tenant_id = $1 and module = 'team' and id = any($2::uuid[])`,
    [tenantId, body.categoryIds],
  );
  const known = new Set(categories.rows.map((row) => row.id));
  const unknown = body.categoryIds.findIndex((id) => !known.has(id));
  if (unknown >= 0) {
    throw new AppError(
      400,
      'team_category_not_allowed',
      `categoryIds.${unknown}: not a Team category of this organisation.`,
    );
  }
  const clash = await tx.query(
    `select 1 from teams where tenant_id = $1 and lower(name) = lower($2) and ($3::uuid is null or id <> $3)`,
    [tenantId, body.name, teamId],
  );
  if (clash.rowCount > 0) throw new AppError(409, 'team_name_taken', 'name: another team has this name.');
}

async function writeMembersAndCategories(tx: Queryable, tenantId: string, teamId: string, body: TeamBody) {
  await tx.query('delete from team_members where tenant_id = $1 and team_id = $2', [tenantId, teamId]);
  await tx.query('delete from team_categories where tenant_id = $1 and team_id = $2', [tenantId, teamId]);
  if (body.members.length > 0) {
    await tx.query(
      `insert into team_members (tenant_id, team_id, principal_type, principal_id, display_name)
       select $1, $2, e.type, e.id, e.name from unnest($3::text[], $4::uuid[], $5::text[]) as e (type, id, name)
       on conflict do nothing`,
      [
        tenantId,
        teamId,
        body.members.map((m) => m.type),
        body.members.map((m) => m.id.toLowerCase()),
        body.members.map((m) => m.displayName),
      ],
    );
  }
  if (body.categoryIds.length > 0) {
    await tx.query(
      `insert into team_categories (tenant_id, team_id, category_id)
       select $1, $2, c from unnest($3::uuid[]) as c on conflict do nothing`,
      [tenantId, teamId, body.categoryIds],
    );
  }
}

/** A new team. Inside withTenant(). */
export async function createTeam(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  body: TeamBody,
): Promise<AdminTeam> {
  await checkBody(tx, tenantId, null, body);
  const inserted = await tx.query<{ id: string }>(
    'insert into teams (tenant_id, name, shared_mailbox) values ($1, $2, $3) returning id',
    [tenantId, body.name, body.sharedMailbox?.toLowerCase() ?? null],
  );
  const id = inserted.rows[0]?.id ?? '';
  await writeMembersAndCategories(tx, tenantId, id, body);
  const [team] = await listAdminTeams(tx, tenantId, id);
  if (!team) throw new Error('a team vanished while it was created');
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'team.created',
    subject: { type: 'team', id, label: team.name },
    after: team,
  });
  return team;
}

/** Replaces a team's name, members, shared mailbox and categories. Inside withTenant(). */
export async function updateTeam(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  teamId: string,
  body: TeamBody,
): Promise<AdminTeam> {
  const [before] = await listAdminTeams(tx, tenantId, teamId);
  if (!before) throw teamNotFound();
  await checkBody(tx, tenantId, teamId, body);
  await tx.query(
    `update teams set name = $3, shared_mailbox = $4, updated_at = clock_timestamp()
      where tenant_id = $1 and id = $2`,
    [tenantId, teamId, body.name, body.sharedMailbox?.toLowerCase() ?? null],
  );
  await writeMembersAndCategories(tx, tenantId, teamId, body);
  const [after] = await listAdminTeams(tx, tenantId, teamId);
  if (!after) throw new Error('a team vanished while it changed');
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'team.updated',
    subject: { type: 'team', id: teamId, label: after.name },
    before,
    after,
  });
  // Open panes reload the team: categories or members may have changed.
  await announceTeamEvent(tx, { type: 'team', teamId, teamMailId: null, actorUserId: null });
  return after;
}

/** Deletes a team with its mails' shared state. Inside withTenant(). */
export async function deleteTeam(tx: Queryable, tenantId: string, actor: AuditActor, teamId: string) {
  const [before] = await listAdminTeams(tx, tenantId, teamId);
  if (!before) throw teamNotFound();
  await tx.query('delete from teams where tenant_id = $1 and id = $2', [tenantId, teamId]);
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'team.deleted',
    subject: { type: 'team', id: teamId, label: before.name },
    before,
  });
  await announceTeamEvent(tx, { type: 'team', teamId, teamMailId: null, actorUserId: null });
}
