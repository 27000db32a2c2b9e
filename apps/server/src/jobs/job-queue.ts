import type { Queryable } from '../db/database.js';

/**
 * The job queue the product runs on: jobs live in the database (pg-boss), so they survive a crash or
 * a restart and need no extra server. Workers run in the server process by default.
 */
export interface JobOptions {
  /** At most one queued or active job with this key (pg-boss singletonKey). */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** How long one attempt may run before pg-boss considers it failed. */
  expireInSeconds?: number;
  startAfter?: Date;
}

/** How a queue is set up (once, at start). */
export type QueueOptions = Omit<JobOptions, 'singletonKey' | 'startAfter'> & {
  /**
   * `short`: at most one job per singletonKey waits in the queue; sending another while one waits
   * adds nothing (send returns null). For work that reads the current state when it runs, so a burst
   * of changes needs one run, not one per change. Default `standard`: every send is a job.
   */
  policy?: 'standard' | 'short';
  /**
   * A queue (created first) that receives the job's data once the job failed for good: its last
   * retry failed, or its worker died on the last one. For work whose rows must not stay "running".
   */
  deadLetter?: string;
};

export interface Job<Data> {
  id: string;
  name: string;
  data: Data;
  /** How many times this job has been retried before this attempt. */
  retryCount: number;
}

/** What a job failed by `JobQueue.fail` records: its worker was found dead (worker-leases.ts). */
export const HANDED_BACK_REASON = 'the worker running this job stopped answering';

export interface JobQueue {
  /** Creates the queue if needed; call once per queue before send/work/schedule. */
  createQueue(name: string, options?: QueueOptions): Promise<void>;
  /**
   * Queues a job. With `transaction`, the job is written inside that transaction: it exists exactly
   * when the transaction commits (use it to record a row and enqueue its work atomically). This is
   * the one way to enqueue from a tenant transaction (`withTenant`): the tenant role may insert jobs,
   * so row-level security stays on (docs/decisions/013).
   */
  send<Data extends object>(
    name: string,
    data: Data,
    options?: JobOptions & { transaction?: Queryable },
  ): Promise<string | null>;
  /** Runs `handler` for every job of the queue; a thrown error fails the attempt (and retries). */
  work<Data extends object>(name: string, handler: (job: Job<Data>) => Promise<void>): Promise<void>;
  /**
   * Fails an active job as a thrown error would, recording {@link HANDED_BACK_REASON}: it is retried
   * while retries are left.
   */
  fail(name: string, id: string): Promise<void>;
  /** Sends a job on a cron schedule (UTC), e.g. retention runs. */
  schedule(name: string, cron: string, data?: object): Promise<void>;
  /** Stops fetching; `graceful` waits for running handlers (false simulates a crash in tests). */
  stop(options?: { graceful?: boolean }): Promise<void>;
}
