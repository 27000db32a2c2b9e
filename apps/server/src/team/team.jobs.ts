import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { notifyMention } from './notify-mention.js';
import { purgeTeamMails } from './purge-team-mails.js';
import { TEAM_MENTION_QUEUE, type TeamMentionJob } from './save-team-note.js';

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
