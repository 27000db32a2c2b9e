import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { notifyMention } from './notify-mention.js';
import { purgeTeamMails } from './purge-team-mails.js';
import { TEAM_MENTION_QUEUE, type TeamMentionJob } from './save-team-note.js';
import { TEAM_MIRROR_CATEGORIES_QUEUE, type TeamMirrorCategoriesJob } from './team-mirror-port.js';

export const TEAM_RETENTION_QUEUE = 'team.retention';

/** Team's queues: mention mails and the nightly retention run. */
export function teamJobs({ context, mail, log }: JobDeps): JobDefinition[] {
  const mention: JobDefinition<TeamMentionJob> = {
    queue: TEAM_MENTION_QUEUE,
    options: { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true },
    async handler(job) {
      await notifyMention({ db: context.db, mail }, job.data);
    },
  };
  return [
    mention,
    {
      queue: TEAM_RETENTION_QUEUE,
      cron: '23 3 * * *',
      async handler() {
        const purged = await purgeTeamMails(context.db, {
          now: context.now(),
          doneRetentionDays: context.config.team.doneRetentionDays,
        });
        log.info(purged, 'team retention run');
      },
    },
  ];
}

/**
 * Stand-in while the Outlook mirror (issue 9 item 5) is not part of the build: the queue must exist
 * for the enqueue in every category change; its jobs are taken and done without effect. Registered
 * on its own line in jobs/register-jobs.ts, which the mirror's worker for the same queue replaces.
 */
export function teamMirrorStandInJobs(): JobDefinition[] {
  const mirror: JobDefinition<TeamMirrorCategoriesJob> = {
    queue: TEAM_MIRROR_CATEGORIES_QUEUE,
    async handler() {},
  };
  return [mirror];
}
