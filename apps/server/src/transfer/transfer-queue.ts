import type { QueueOptions } from '../jobs/job-queue.js';

export const TRANSFER_QUEUE = 'transfer';
export const TRANSFER_RETENTION_QUEUE = 'transfer-retention';
/**
 * Receives a transfer job the queue gave up on without the transfer saying so itself: its worker
 * died (or was stopped) during the last attempt. The transfer is then marked failed here, so it never
 * stays "running".
 */
export const TRANSFER_GIVEN_UP_QUEUE = 'transfer-given-up';

/**
 * Attempts of one transfer job. Within an attempt the Graph client already retries throttling and
 * outages; a new attempt (after a crash, or an outage longer than that) starts later and skips the
 * files that are written.
 */
export const TRANSFER_JOB_OPTIONS = {
  retryLimit: 3,
  retryDelaySeconds: 5,
  retryBackoff: true,
  // Generous for a 150 MB mail on a slow library. It is also how long a job of a worker that died
  // (killed, not shut down) stays active before pg-boss fails it and another worker retries it.
  expireInSeconds: 15 * 60,
  deadLetter: TRANSFER_GIVEN_UP_QUEUE,
} satisfies QueueOptions;
