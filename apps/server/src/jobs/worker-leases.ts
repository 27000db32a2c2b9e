import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { Job, JobQueue } from './job-queue.js';

export interface WorkerLeaseOptions {
  /** How often this process says it is alive and looks for jobs of processes that are not. */
  heartbeatMs?: number;
  /** A process silent for this long is dead: its jobs are failed, so the queue retries them elsewhere. */
  deadAfterSeconds?: number;
}

export interface WorkerLeases {
  readonly workerId: string;
  start(): Promise<void>;
  /** Records that this process runs the job until the handler returns or throws. */
  wrap<Data extends object>(
    queue: string,
    handler: (job: Job<Data>) => Promise<void>,
  ): (job: Job<Data>) => Promise<void>;
  /** Hands the jobs of dead processes back to the queue; returns how many. Runs on every heartbeat. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Liveness for job workers. pg-boss learns of a worker that died only when the job expires (for a
 * transfer, 15 minutes); until then the job looks active and nobody retries it. Each worker process
 * therefore records itself and the jobs it runs, and says every few seconds that it is alive; any
 * worker finding a process silent for `deadAfterSeconds` fails that process's jobs, which the queue
 * retries at once on a live worker. A retry that overlaps a still-running attempt is harmless: the
 * transfer claims each attempt by a fresh attempt id and the older one gives up (transfer/run-transfer.ts).
 *
 * Times are the database's own clock (`now()`), so processes on hosts with skewed clocks agree.
 */
export function createWorkerLeases(
  db: Database,
  jobs: JobQueue,
  role: 'all' | 'worker',
  options: WorkerLeaseOptions = {},
): WorkerLeases {
  const workerId = randomUUID();
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const deadAfterSeconds = options.deadAfterSeconds ?? 30;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<unknown> = Promise.resolve();

  async function heartbeat(): Promise<void> {
    // Re-inserted if a sweeper took this process for dead (a long pause) and removed it.
    await db.query(
      `insert into job_workers (id, role) values ($1, $2)
       on conflict (id) do update set seen_at = now()`,
      [workerId, role],
    );
  }

  async function sweep(): Promise<number> {
    const stale = await db.query<{ job_id: string; queue: string }>(
      `delete from job_leases l using job_workers w
        where w.id = l.worker_id and w.seen_at < now() - make_interval(secs => $1)
        returning l.job_id, l.queue`,
      [deadAfterSeconds],
    );
    for (const lease of stale.rows) await jobs.fail(lease.queue, lease.job_id);
    await db.query(
      `delete from job_workers w
        where w.seen_at < now() - make_interval(secs => $1)
          and not exists (select 1 from job_leases l where l.worker_id = w.id)`,
      [deadAfterSeconds],
    );
    return stale.rows.length;
  }

  return {
    workerId,
    async start() {
      await heartbeat();
      timer = setInterval(() => {
        beating = heartbeat()
          .then(sweep)
          .catch(() => undefined); // the database is away: the next beat tries again
      }, heartbeatMs);
      timer.unref();
    },
    wrap(queue, handler) {
      return async (job) => {
        await db.query(
          `insert into job_leases (job_id, queue, worker_id) values ($1, $2, $3)
           on conflict (job_id) do update set worker_id = excluded.worker_id, started_at = now()`,
          [job.id, queue, workerId],
        );
        try {
          await handler(job);
        } finally {
          await db
            .query('delete from job_leases where job_id = $1 and worker_id = $2', [job.id, workerId])
            .catch(() => undefined); // a stale lease is swept; it must not fail a finished job
        }
      };
    },
    sweep,
    async stop() {
      clearInterval(timer);
      await beating;
      // Leases of handlers still in flight go with it; pg-boss fails those jobs when they are aborted.
      await db.query('delete from job_workers where id = $1', [workerId]).catch(() => undefined);
    },
  };
}
