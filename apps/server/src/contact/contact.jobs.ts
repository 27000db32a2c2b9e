import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { deleteExpiredContactData } from './delete-expired-contact-data.js';
import { notifyOperatorOfEnquiry } from './notify-operator-of-enquiry.js';
import { NOTIFY_OPERATOR_QUEUE } from './submit-contact-enquiry.js';

export const CONTACT_RETENTION_QUEUE = 'contact.retention';

/** The mail to the operator about each enquiry, and the hourly retention run of enquiries. */
export function contactJobs({ context, mail, log }: JobDeps): JobDefinition[] {
  const { config, db } = context;
  const notify: JobDefinition<{ enquiryId: string }> = {
    queue: NOTIFY_OPERATOR_QUEUE,
    async handler(job) {
      await notifyOperatorOfEnquiry(
        {
          db,
          mail,
          recipient: config.contact.recipient,
          publicBaseUrl: config.publicBaseUrl,
          now: () => context.now(),
        },
        job.data.enquiryId,
      );
    },
  };
  return [
    notify,
    {
      queue: CONTACT_RETENTION_QUEUE,
      cron: '7 * * * *',
      async handler() {
        const deleted = await deleteExpiredContactData(db, {
          now: context.now(),
          retentionDays: config.contact.retentionDays,
        });
        log.info({ deleted }, 'contact retention run');
      },
    },
  ];
}
