import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import type { Lang } from '../website/i18n.js';
import { deleteExpiredRegistrationData } from './delete-expired-registration-data.js';
import { SEND_LINK_QUEUE } from './request-registration-link.js';
import { sendRegistrationLink } from './send-registration-link.js';

export const REGISTRATION_RETENTION_QUEUE = 'registration.retention';

/** The mail of each sign-up or sign-in link, and the hourly retention run. */
export async function registrationJobs({ context, mail, log }: JobDeps): Promise<JobDefinition[]> {
  const { config, db } = context;
  // The links' tokens are signed with the website's form-signing secret (registration-links.ts).
  const signer = createFormSigner(await loadFormSigningSecret(config));
  const sendLink: JobDefinition<{ linkId: string; language: Lang }> = {
    queue: SEND_LINK_QUEUE,
    async handler(job) {
      await sendRegistrationLink(
        { db, mail, signer, publicBaseUrl: config.publicBaseUrl, now: () => context.now() },
        job.data,
      );
    },
  };
  return [
    sendLink,
    {
      queue: REGISTRATION_RETENTION_QUEUE,
      cron: '23 * * * *',
      async handler() {
        const deleted = await deleteExpiredRegistrationData(db, context.now(), config.session.idleMinutes);
        log.info(deleted, 'registration retention run');
      },
    },
  ];
}
