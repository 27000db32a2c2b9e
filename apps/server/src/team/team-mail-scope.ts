import type { TeamEvent } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { announceTeamEvent } from './team-events.js';
import { TEAM_MIRROR_CATEGORIES_QUEUE } from './team-mirror-port.js';

/** Who changes which team's mail, and where the change's side effects go. */
export interface TeamChangeScope {
  tx: Queryable;
  tenantId: string;
  teamId: string;
  /** users.id of the member making the change; null for Mailissa itself (Outlook's categories). */
  actorUserId: string | null;
  now: Date;
  jobs: JobQueue;
  /** Filled with what to announce; the caller delivers them after the commit (team-events.ts). */
  events: TeamEvent[];
}

export type TeamActivityAction =
  | 'first_seen'
  | 'category_added'
  | 'category_removed'
  | 'assigned'
  | 'unassigned'
  | 'status_changed'
  | 'note_added'
  | 'note_edited';

/** Locks the team mail's row for the change (so concurrent edits queue up), or 404. */
export async function lockTeamMail(scope: TeamChangeScope, mailId: string): Promise<void> {
  const row = await scope.tx.query(
    'select 1 from team_mails where tenant_id = $1 and team_id = $2 and id = $3 for update',
    [scope.tenantId, scope.teamId, mailId],
  );
  if (row.rowCount === 0) throw teamMailNotFound();
}

export function teamMailNotFound(): AppError {
  return new AppError(404, 'team_mail_not_found', 'This mail has no team state in this team.');
}

/** Records one history entry, touches the mail and announces the change. */
export async function recordTeamChange(
  scope: TeamChangeScope,
  mailId: string,
  action: TeamActivityAction,
  value: string | null,
): Promise<void> {
  await scope.tx.query(
    `insert into team_activity (tenant_id, team_mail_id, actor_user_id, action, value, at)
     values ($1, $2, $3, $4, $5, $6)`,
    [scope.tenantId, mailId, scope.actorUserId, action, value, scope.now],
  );
  await scope.tx.query('update team_mails set updated_at = $3 where tenant_id = $1 and id = $2', [
    scope.tenantId,
    mailId,
    scope.now,
  ]);
  const event: TeamEvent = {
    type: 'mail',
    teamId: scope.teamId,
    teamMailId: mailId,
    actorUserId: scope.actorUserId,
  };
  if (!scope.events.some((e) => e.type === 'mail' && e.teamMailId === mailId)) {
    await announceTeamEvent(scope.tx, event);
    scope.events.push(event);
  }
}

/**
 * Asks the Outlook mirror to bring every member's copy in line with the team's categories. The queue
 * keeps one waiting job per mail (singletonKey): one still waiting will read this change too.
 */
export async function enqueueCategoryMirror(scope: TeamChangeScope, mailId: string): Promise<void> {
  await scope.jobs.send(
    TEAM_MIRROR_CATEGORIES_QUEUE,
    { tenantId: scope.tenantId, teamId: scope.teamId, teamMailId: mailId },
    { transaction: scope.tx, singletonKey: mailId },
  );
}
