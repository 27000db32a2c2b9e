import { PRESENCE_WINDOW_MS, presentOn } from './get-team-mail.js';
import { announceTeamEvent } from './team-events.js';
import { lockTeamMail, type TeamChangeScope } from './team-mail-scope.js';

/**
 * The heartbeat of a member who has the mail open. Only arriving is announced (a member not present
 * within the window before); staying is silent, and leaving shows when the heartbeats stop.
 */
export async function recordPresence(scope: TeamChangeScope & { actorUserId: string }, mailId: string) {
  await lockTeamMail(scope, mailId);
  const before = await scope.tx.query<{ seen_at: Date }>(
    'select seen_at from team_presence where tenant_id = $1 and team_mail_id = $2 and user_id = $3',
    [scope.tenantId, mailId, scope.actorUserId],
  );
  const last = before.rows[0]?.seen_at;
  await scope.tx.query(
    `insert into team_presence (tenant_id, team_mail_id, user_id, seen_at) values ($1, $2, $3, $4)
     on conflict (tenant_id, team_mail_id, user_id) do update set seen_at = excluded.seen_at`,
    [scope.tenantId, mailId, scope.actorUserId, scope.now],
  );
  if (!last || scope.now.getTime() - last.getTime() > PRESENCE_WINDOW_MS) {
    const event = {
      type: 'presence' as const,
      teamId: scope.teamId,
      teamMailId: mailId,
      actorUserId: scope.actorUserId,
    };
    await announceTeamEvent(scope.tx, event);
    scope.events.push(event);
  }
  return presentOn(scope.tx, scope.tenantId, mailId, scope.actorUserId, scope.now);
}
