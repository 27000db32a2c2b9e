import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';

/**
 * The port between Team's state and the Outlook mirror (issue 9 items 5 and 8, built beside this
 * feature): whenever a team mail's categories change, a job of this queue is enqueued in the same
 * transaction with `{ tenantId, teamId, teamMailId }`; the mirror's worker sets the team's categories
 * on every member's copy through Graph. In the other direction the mirror calls
 * `applyOutlookCategoryChange` (apply-outlook-category-change.ts).
 */
export const TEAM_MIRROR_CATEGORIES_QUEUE = 'team.mirror-categories';

export interface TeamMirrorCategoriesJob {
  tenantId: string;
  teamId: string;
  teamMailId: string;
}

const queues = new WeakMap<Database, JobQueue>();

/** The server's job queue for `db`, so a caller holding only the database can still enqueue. */
export function registerTeamJobQueue(db: Database, jobs: JobQueue): void {
  queues.set(db, jobs);
}

export function teamJobQueueOf(db: Database): JobQueue | undefined {
  return queues.get(db);
}
