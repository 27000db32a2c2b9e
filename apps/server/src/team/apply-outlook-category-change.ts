import type { TeamEvent } from '@mailissa/contracts';
import { type Database, type Queryable, withTenant } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { changeTeamMailCategories, teamCategoryIds } from './change-team-mail-categories.js';
import { requireTeamLicence } from './team-access.js';
import { deliverTeamEvents } from './team-events.js';
import { knownCopyCategories, recordCopyCategories } from './team-mail-copies.js';
import type { TeamChangeScope } from './team-mail-scope.js';
import { teamJobQueueOf } from './team-mirror-port.js';

export interface OutlookCategoryChange {
  tenantId: string;
  /** The Entra object id of the mailbox owner whose copy changed. */
  userObjectId: string;
  internetMessageId: string;
  /** mailFingerprint() of the copy's sender address and subject. */
  fingerprint: string;
  /** Every category now on the member's copy in Outlook (display names, as Outlook shows them). */
  categoryNames: readonly string[];
  now: Date;
  /**
   * The user's groups (object ids, transitively), if the caller resolved them; without them only
   * teams that name the user directly are considered.
   */
  groupIds?: readonly string[];
  /**
   * The mailbox's addresses (primary SMTP address, user principal name) when it is no person of
   * ours: a shared mailbox, whose copy counts for every team that works from that address.
   */
  sharedMailboxAddresses?: readonly string[];
}

export interface AppliedOutlookCategoryChange {
  teamId: string;
  teamMailId: string;
  added: string[];
  removed: string[];
}

/**
 * Applies categories a member set or removed in Outlook itself to the team state (issue 9 item 5,
 * called by the Outlook mirror): for every team the user is a licensed member of — or, for a shared
 * mailbox, every team working from it — that already has state for this mail, each of the team's
 * categories whose name (English or German, case-insensitive) appeared on the copy since we last knew
 * it is added and each that disappeared is removed. Other Outlook categories are the user's own and
 * are left alone. Changes are recorded as the user's, announced live and mirrored to
 * the other members' copies (`team.mirror-categories`, with `jobs` or the server's registered queue).
 */
export async function applyOutlookCategoryChange(
  db: Database,
  change: OutlookCategoryChange,
  options: { jobs?: JobQueue } = {},
): Promise<AppliedOutlookCategoryChange[]> {
  const jobs = options.jobs ?? teamJobQueueOf(db);
  if (!jobs) throw new Error('applyOutlookCategoryChange needs the job queue (options.jobs)');
  const events: TeamEvent[] = [];
  const names = new Set(change.categoryNames.map((name) => name.trim().toLowerCase()));
  const result = await withTenant(db, change.tenantId, async (tx) => {
    const user = await tx.query<{ id: string }>(
      'select id from users where tenant_id = $1 and entra_object_id = $2',
      [change.tenantId, change.userObjectId],
    );
    const userId = user.rows[0]?.id;
    const mails = userId
      ? await memberMails(tx, change, userId)
      : await sharedMailboxMails(tx, change, change.sharedMailboxAddresses ?? []);
    const applied: AppliedOutlookCategoryChange[] = [];
    for (const mail of mails) {
      const scope: TeamChangeScope = {
        tx,
        tenantId: change.tenantId,
        teamId: mail.team_id,
        // Graph does not say who changed a shared mailbox's copy: the history names Outlook.
        actorUserId: userId ?? null,
        now: change.now,
        jobs,
        events,
      };
      const allowed = await teamCategoryIds(scope);
      const categories = await tx.query<{ id: string; name_en: string; name_de: string; on_mail: boolean }>(
        `select c.id, c.name_en, c.name_de,
                exists (select 1 from team_mail_categories x where x.tenant_id = c.tenant_id
                         and x.team_mail_id = $2 and x.category_id = c.id) as on_mail
           from categories c where c.tenant_id = $1 and c.id = any($3::uuid[])`,
        [change.tenantId, mail.id, [...allowed]],
      );
      // Only what changed on this copy since we last knew it counts (decision 127): an echo of the
      // mirror's own write, or a copy the mirror has not reached yet that was merely read, changes
      // nothing. A copy never seen before can add categories, but its missing ones prove nothing.
      const known = await knownCopyCategories(tx, change.tenantId, mail.id, change.userObjectId);
      const onCopy: string[] = [];
      const add: string[] = [];
      const remove: string[] = [];
      for (const category of categories.rows) {
        const named = names.has(category.name_en.toLowerCase()) || names.has(category.name_de.toLowerCase());
        if (named) onCopy.push(category.id);
        const wasOnCopy = known?.has(category.id) ?? false;
        if (named && !wasOnCopy && !category.on_mail) add.push(category.id);
        if (!named && wasOnCopy && category.on_mail) remove.push(category.id);
      }
      await recordCopyCategories(tx, {
        tenantId: change.tenantId,
        teamMailId: mail.id,
        mailboxObjectId: change.userObjectId,
        categoryIds: onCopy,
        now: change.now,
      });
      if (add.length === 0 && remove.length === 0) continue;
      const done = await changeTeamMailCategories(scope, mail.id, { add, remove });
      applied.push({ teamId: mail.team_id, teamMailId: mail.id, ...done });
    }
    return applied;
  });
  deliverTeamEvents(db, events);
  return result;
}

/** The team mails of this copy in the teams the (licensed) member belongs to. */
async function memberMails(
  tx: Queryable,
  change: OutlookCategoryChange,
  userId: string,
): Promise<Array<{ id: string; team_id: string }>> {
  try {
    await requireTeamLicence(tx, change.tenantId, userId);
  } catch {
    return [];
  }
  const mails = await tx.query<{ id: string; team_id: string }>(
    `select m.id, m.team_id from team_mails m
      where m.tenant_id = $1 and m.internet_message_id = $2 and m.fingerprint = $3
        and exists (select 1 from team_members t where t.tenant_id = m.tenant_id and t.team_id = m.team_id
                     and ((t.principal_type = 'user' and t.principal_id = $4::uuid)
                       or (t.principal_type = 'group' and t.principal_id = any($5::uuid[]))))`,
    [
      change.tenantId,
      change.internetMessageId,
      change.fingerprint,
      change.userObjectId,
      [...(change.groupIds ?? [])],
    ],
  );
  return mails.rows;
}

/** The team mails of this copy in the teams that work from this shared mailbox. */
async function sharedMailboxMails(
  tx: Queryable,
  change: OutlookCategoryChange,
  addresses: readonly string[],
): Promise<Array<{ id: string; team_id: string }>> {
  if (addresses.length === 0) return [];
  const mails = await tx.query<{ id: string; team_id: string }>(
    `select m.id, m.team_id from team_mails m
       join teams t on t.id = m.team_id and t.tenant_id = m.tenant_id
      where m.tenant_id = $1 and m.internet_message_id = $2 and m.fingerprint = $3
        and lower(t.shared_mailbox) = any($4::text[])`,
    [
      change.tenantId,
      change.internetMessageId,
      change.fingerprint,
      addresses.map((address) => address.trim().toLowerCase()),
    ],
  );
  return mails.rows;
}
