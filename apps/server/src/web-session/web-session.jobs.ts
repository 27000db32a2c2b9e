import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { purgeEndedWebSessions } from './web-session.store.js';

export const WEB_SESSION_PURGE_QUEUE = 'web-sessions.purge';

/** Deletes sessions that ended (idle or past their lifetime) every hour. */
export function webSessionJobs({ context }: JobDeps): JobDefinition[] {
  return [
    {
      queue: WEB_SESSION_PURGE_QUEUE,
      cron: '17 * * * *',
      async handler() {
        await purgeEndedWebSessions(context.db, context.now(), context.config.session.idleMinutes);
      },
    },
  ];
}
