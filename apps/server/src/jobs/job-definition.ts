import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../app-context.js';
import type { MailSender } from '../mail/mail.schemas.js';
import type { Job, QueueOptions } from './job-queue.js';

/**
 * One queue a feature works, declared in its `<feature>.jobs.ts` and registered by `registerJobs`:
 * the queue's name, its retry options, an optional cron schedule (UTC) and the handler.
 */
export interface JobDefinition<Data extends object = object> {
  queue: string;
  options?: QueueOptions;
  /** Sends a job on this schedule (UTC), e.g. a retention run. */
  cron?: string;
  /** Handlers this process runs at once for the queue (default 1). */
  workers?: number;
  // A method, not a function property: a list of definitions with different job data stays typed.
  handler(job: Job<Data>): Promise<void>;
}

/** What job handlers may use: the features' context, outgoing mail, the log and the shutdown signal. */
export interface JobDeps {
  context: AppContext;
  mail: MailSender;
  log: FastifyBaseLogger;
  /** Aborted when the server closes: long handlers (transfers) stop at once and resume on restart. */
  signal: AbortSignal;
}
