import type { TeamNote, TeamNoteBody } from '@mailissa/contracts';
import { AppError } from '../errors/app-error.js';
import { notesOf } from './get-team-mail.js';
import { lockTeamMail, recordTeamChange, type TeamChangeScope } from './team-mail-scope.js';

/** The queue that mails a member who was mentioned in a note (team.jobs.ts). */
export const TEAM_MENTION_QUEUE = 'team.mention-mail';

export interface TeamMentionJob {
  tenantId: string;
  teamId: string;
  noteId: string;
  userId: string;
}

/** Mentions must name licensed members of the team; the author does not notify themself. */
function checkMentions(body: TeamNoteBody, people: ReadonlySet<string>, authorId: string | null): string[] {
  const unknown = body.mentions.findIndex((id) => !people.has(id));
  if (unknown >= 0) {
    throw new AppError(
      400,
      'team_member_not_found',
      `mentions.${unknown}: not a licensed member of this team.`,
    );
  }
  return [...new Set(body.mentions)].filter((id) => id !== authorId);
}

async function addMentions(scope: TeamChangeScope, noteId: string, userIds: readonly string[]) {
  for (const userId of userIds) {
    const inserted = await scope.tx.query(
      `insert into team_mentions (tenant_id, note_id, user_id, created_at) values ($1, $2, $3, $4)
       on conflict do nothing`,
      [scope.tenantId, noteId, userId, scope.now],
    );
    if (inserted.rowCount === 0) continue;
    const job: TeamMentionJob = { tenantId: scope.tenantId, teamId: scope.teamId, noteId, userId };
    await scope.jobs.send(TEAM_MENTION_QUEUE, job, {
      transaction: scope.tx,
      retryLimit: 5,
      retryDelaySeconds: 30,
      retryBackoff: true,
    });
  }
}

/** A new note on a team mail; its mentions get a badge and a mail. Returns the note's id. */
export async function addTeamNote(
  scope: TeamChangeScope,
  mailId: string,
  body: TeamNoteBody,
  people: ReadonlySet<string>,
): Promise<string> {
  await lockTeamMail(scope, mailId);
  const mentions = checkMentions(body, people, scope.actorUserId);
  const inserted = await scope.tx.query<{ id: string }>(
    `insert into team_notes (tenant_id, team_mail_id, author_user_id, body, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $5) returning id`,
    [scope.tenantId, mailId, scope.actorUserId, body.text, scope.now],
  );
  const noteId = inserted.rows[0]?.id ?? '';
  await addMentions(scope, noteId, mentions);
  await recordTeamChange(scope, mailId, 'note_added', noteId);
  return noteId;
}

/**
 * Replaces a note's text if it still has the version the editor started from (`If-Match`); when
 * someone else saved in between, 412 `team_note_conflict` carries the newer note so nothing is lost
 * silently. Newly mentioned members are notified.
 */
export async function editTeamNote(
  scope: TeamChangeScope,
  mailId: string,
  noteId: string,
  expectedVersion: number,
  body: TeamNoteBody,
  people: ReadonlySet<string>,
): Promise<void> {
  await lockTeamMail(scope, mailId);
  const current = await scope.tx.query<{ version: number }>(
    'select version from team_notes where tenant_id = $1 and team_mail_id = $2 and id = $3 for update',
    [scope.tenantId, mailId, noteId],
  );
  const row = current.rows[0];
  if (!row) throw new AppError(404, 'team_note_not_found', 'This note does not exist.');
  if (row.version !== expectedVersion) {
    const newer: TeamNote | undefined = (await notesOf(scope.tx, scope.tenantId, mailId)).find(
      (note) => note.id === noteId,
    );
    throw new AppError(
      412,
      'team_note_conflict',
      'Someone else changed this note meanwhile. Their text is shown; apply your change to it again.',
      { extra: { note: newer } },
    );
  }
  const mentions = checkMentions(body, people, scope.actorUserId);
  await scope.tx.query(
    `update team_notes set body = $4, version = version + 1, updated_at = $5
      where tenant_id = $1 and team_mail_id = $2 and id = $3`,
    [scope.tenantId, mailId, noteId, body.text, scope.now],
  );
  await addMentions(scope, noteId, mentions);
  await recordTeamChange(scope, mailId, 'note_edited', noteId);
}
