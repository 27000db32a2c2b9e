import type { Database } from '../db/database.js';
import type { OutlookCategoryColor } from '../graph/outlook-categories.js';

/**
 * The ports between the Outlook mirror and Team's state (issue 9 item 5). The mirror owns Graph —
 * subscriptions, notifications, delta queries, category writes — and knows nothing of teams; Team
 * owns who is in a team and which categories a mail has. `team-ports.ts` wires these to Team.
 */

/** A member set or removed categories on their copy in Outlook. */
export interface OutlookCategoryChange {
  tenantId: string;
  /** Entra object id of the mailbox whose copy changed. */
  userObjectId: string;
  internetMessageId: string;
  fingerprint: string;
  /** Every category now on the copy, as Outlook shows them. */
  categoryNames: readonly string[];
  now: Date;
}

/** The `team.mirror-categories` job's payload (Team enqueues it when a team mail's categories change). */
export interface MirrorCategoriesJob {
  tenantId: string;
  teamId: string;
  teamMailId: string;
}

/** What the mirror sets on every member's copy of one team mail. */
export interface MirrorPlan {
  /** The categories the team mail has now (Team's id), with the name and colour Outlook shows. */
  categories: Array<{ id: string; name: string; color: OutlookCategoryColor }>;
  /**
   * Every name the team's categories go by (in any language): those not in `categories` are removed
   * from the copies; any other category on a copy is the member's own and stays.
   */
  teamCategoryNames: string[];
  /** The Microsoft tenant the mailboxes are in (for app-only Graph). */
  microsoftTenantId: string;
  mailboxes: Array<{ userObjectId: string; internetMessageId: string; fingerprint: string }>;
}

export interface OutlookSyncPorts {
  /** Applies a copy's categories to the team state (Team's `applyOutlookCategoryChange`). */
  applyCategoryChange(db: Database, change: OutlookCategoryChange): Promise<void>;
  /** The fingerprint Team gives a mail, from what Graph says of a copy. */
  fingerprintOf(mail: { fromAddress: string; subject: string }): string;
  /** What to mirror for a team mail; undefined when the mail or team is gone. */
  loadMirrorPlan(db: Database, job: MirrorCategoriesJob): Promise<MirrorPlan | undefined>;
  /** Object ids of every mailbox of a tenant that should be watched (members and shared mailboxes). */
  listMirroredMailboxes(db: Database, tenantId: string): Promise<string[]>;
  /**
   * The mirror has written a copy: it carries exactly these of the plan's categories now (by id), so
   * the notification that echoes the write finds nothing changed.
   */
  rememberCopy(
    db: Database,
    job: MirrorCategoriesJob,
    copy: { mailboxObjectId: string; categoryIds: string[]; now: Date },
  ): Promise<void>;
}

const overrides = new WeakMap<Database, OutlookSyncPorts>();

/** Tests (and later wiring) replace the ports for one server's database. */
export function setOutlookSyncPorts(db: Database, ports: OutlookSyncPorts): void {
  overrides.set(db, ports);
}

export function outlookSyncPortsOf(db: Database, fallback: OutlookSyncPorts): OutlookSyncPorts {
  return overrides.get(db) ?? fallback;
}
