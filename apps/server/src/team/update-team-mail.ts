import type { UpdateTeamMailBody } from '@mailissa/contracts';
import { AppError } from '../errors/app-error.js';
import { lockTeamMail, recordTeamChange, type TeamChangeScope } from './team-mail-scope.js';

/**
 * Sets a team mail's assignee and/or status. The assignee must be one of the team's licensed people
 * (`people`: their users.id). Setting what is already set records nothing.
 */
export async function updateTeamMail(
  scope: TeamChangeScope,
  mailId: string,
  body: UpdateTeamMailBody,
  people: ReadonlySet<string>,
): Promise<void> {
  await lockTeamMail(scope, mailId);
  const current = await scope.tx.query<{ status: string; assignee_user_id: string | null }>(
    'select status, assignee_user_id from team_mails where tenant_id = $1 and id = $2',
    [scope.tenantId, mailId],
  );
  const row = current.rows[0];
  if (!row) throw new Error('a locked team mail vanished');
  if (body.assigneeUserId !== undefined && body.assigneeUserId !== row.assignee_user_id) {
    if (body.assigneeUserId !== null && !people.has(body.assigneeUserId)) {
      throw new AppError(400, 'team_member_not_found', 'assigneeUserId: not a licensed member of this team.');
    }
    await scope.tx.query('update team_mails set assignee_user_id = $3 where tenant_id = $1 and id = $2', [
      scope.tenantId,
      mailId,
      body.assigneeUserId,
    ]);
    await recordTeamChange(
      scope,
      mailId,
      body.assigneeUserId === null ? 'unassigned' : 'assigned',
      body.assigneeUserId,
    );
  }
  if (body.status !== undefined && body.status !== row.status) {
    await scope.tx.query(
      `update team_mails set status = $3, done_at = case when $3 = 'done' then $4::timestamptz else null end
        where tenant_id = $1 and id = $2`,
      [scope.tenantId, mailId, body.status, scope.now],
    );
    await recordTeamChange(scope, mailId, 'status_changed', body.status);
  }
}
