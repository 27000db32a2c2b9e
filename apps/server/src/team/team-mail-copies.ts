import { type Database, type Queryable, withTenant } from '../db/database.js';

/**
 * What the Outlook mirror last knew of one mailbox's copy of a team mail: which of the team's
 * categories were on it (decision 127). Inside withTenant(); the row is locked, so two notifications
 * for the same copy are applied one after the other. Undefined when the copy was never seen.
 */
export async function knownCopyCategories(
  tx: Queryable,
  tenantId: string,
  teamMailId: string,
  mailboxObjectId: string,
): Promise<Set<string> | undefined> {
  const row = await tx.query<{ category_ids: string[] }>(
    `select category_ids from team_mail_copies
      where tenant_id = $1 and team_mail_id = $2 and mailbox_object_id = $3 for update`,
    [tenantId, teamMailId, mailboxObjectId],
  );
  const ids = row.rows[0]?.category_ids;
  return ids ? new Set(ids) : undefined;
}

/** Records which of the team's categories a copy has now. Inside withTenant(). */
export async function recordCopyCategories(
  tx: Queryable,
  copy: {
    tenantId: string;
    teamMailId: string;
    mailboxObjectId: string;
    categoryIds: readonly string[];
    now: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into team_mail_copies (tenant_id, team_mail_id, mailbox_object_id, category_ids, updated_at)
     select $1, $2, $3, $4::uuid[], $5
      where exists (select 1 from team_mails where tenant_id = $1 and id = $2)
     on conflict (team_mail_id, mailbox_object_id)
       do update set category_ids = excluded.category_ids, updated_at = excluded.updated_at`,
    [copy.tenantId, copy.teamMailId, copy.mailboxObjectId.toLowerCase(), [...copy.categoryIds], copy.now],
  );
}

/** The mirror wrote the team's categories onto a copy: that is what the copy has now. */
export async function rememberMirroredCopy(
  db: Database,
  copy: {
    tenantId: string;
    teamMailId: string;
    mailboxObjectId: string;
    categoryIds: readonly string[];
    now: Date;
  },
): Promise<void> {
  await withTenant(db, copy.tenantId, (tx) => recordCopyCategories(tx, copy));
}
