import type { Database } from '../db/database.js';

/** A team mail nobody categorised, assigned, annotated or moved on from "open" is kept this long. */
export const UNUSED_TEAM_MAIL_DAYS = 30;
/** Presence rows mean nothing after a minute; they are cleared after a day. */
const PRESENCE_DAYS = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Team retention run (data inventory): deletes team mails — with their list metadata (subject,
 * sender, received time), notes, mentions and history — done more than `doneRetentionDays` ago, and
 * mails to which no team state refers any more (no category, assignee, note, still open) untouched for
 * UNUSED_TEAM_MAIL_DAYS. Runs across tenants as the owner, by design (like the transfer purge).
 */
export async function purgeTeamMails(
  db: Database,
  options: { now: Date; doneRetentionDays: number },
): Promise<{ done: number; unused: number; presence: number }> {
  const doneBefore = new Date(options.now.getTime() - options.doneRetentionDays * DAY_MS);
  const unusedBefore = new Date(options.now.getTime() - UNUSED_TEAM_MAIL_DAYS * DAY_MS);
  const done = await db.query(`delete from team_mails where status = 'done' and done_at < $1`, [doneBefore]);
  const unused = await db.query(
    `delete from team_mails m
      where m.status = 'open' and m.assignee_user_id is null and m.updated_at < $1
        and not exists (select 1 from team_mail_categories c where c.team_mail_id = m.id)
        and not exists (select 1 from team_notes n where n.team_mail_id = m.id)`,
    [unusedBefore],
  );
  const presence = await db.query('delete from team_presence where seen_at < $1', [
    new Date(options.now.getTime() - PRESENCE_DAYS * DAY_MS),
  ]);
  return { done: done.rowCount, unused: unused.rowCount, presence: presence.rowCount };
}
