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
  /** Records that this process runs the job, until the queue has recorded how it ended. */
  wrap<Data extends object>(
    queue: string,
    handler: (job: Job<Data>) => Promise<void>,
  ): (job: Job<Data>) => Promise<void>;
  /**
   * Hands the jobs of dead processes back to the queue and returns how many; releases the leases of
   * jobs that ended. Runs on every heartbeat.
   */
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
 * A lease covers the whole time pg-boss holds the job active, so a process killed at any moment
 * leaves nothing behind unseen: pg-boss marks a job active when it fetches it, a moment before the
 * lease is written (a job active that long without a lease was taken by a process that died at once),
 * and records the outcome a moment after the handler returned (so the lease stays until the sweep
 * sees the job is no longer active, rather than going with the handler).
 *
 * Times are the database's own clock (`now()`), so processes on hosts with skewed clocks agree. The
 * sweep reads pg-boss's job table (`pgboss.job`: name, id, state, started_on), pg-boss 10's schema.
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
  /** The queues this process works with leases: only their jobs are known to be leased. */
  const leasedQueues = new Set<string>();
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

  /**
   * The scan for jobs taken without a lease reads pg-boss's job table without an index on its state
   * (as pg-boss's own expiry check does, once a minute); a job counts as orphaned only after
   * `deadAfterSeconds` anyway, so the heartbeat runs that scan on every sixth beat, not on each.
   */
  const ORPHAN_SCAN_EVERY_BEATS = 6;
  let beats = 0;

  async function sweep(options: { orphans?: boolean } = {}): Promise<number> {
    // A silent process's leases go; of their jobs, those still active in the attempt it leased are
    // failed (one retried and fetched since belongs to that newer attempt's worker).
    const stale = await db.query<{ job_id: string; queue: string }>(
      `with stale as (
         delete from job_leases l using job_workers w
          where w.id = l.worker_id and w.seen_at < now() - make_interval(secs => $1)
          returning l.job_id, l.queue, l.started_at
       )
       select s.job_id, s.queue from stale s
         join pgboss.job j on j.name = s.queue and j.id = s.job_id
        where j.state = 'active' and j.started_on <= s.started_at`,
      [deadAfterSeconds],
    );
    // Taken by a process that died before it wrote the lease: active that long, and no lease of this
    // attempt (a lease older than the fetch is an earlier attempt's, not yet released).
    const orphaned =
      leasedQueues.size === 0 || options.orphans === false
        ? { rows: [] }
        : await db.query<{ job_id: string; queue: string }>(
            `select j.id as job_id, j.name as queue from pgboss.job j
              where j.name = any($1::text[]) and j.state = 'active'
                and j.started_on < now() - make_interval(secs => $2)
                and not exists (select 1 from job_leases l where l.job_id = j.id and l.started_at >= j.started_on)`,
            [[...leasedQueues], deadAfterSeconds],
          );
    const handBack = [...stale.rows, ...orphaned.rows];
    for (const lease of handBack) await jobs.fail(lease.queue, lease.job_id);
    // Leases of jobs whose outcome is recorded. Only leases some seconds old: one a worker renewed
    // just now for a new attempt is never taken for the earlier attempt's.
    await db.query(
      `delete from job_leases l
        where l.started_at < now() - interval '10 seconds'
          and not exists (select 1 from pgboss.job j where j.name = l.queue and j.id = l.job_id and j.state = 'active')`,
    );
    await db.query(
      `delete from job_workers w
        where w.seen_at < now() - make_interval(secs => $1)
          and not exists (select 1 from job_leases l where l.worker_id = w.id)`,
      [deadAfterSeconds],
    );
    return handBack.length;
  }

  return {
    workerId,
    async start() {
      await heartbeat();
      timer = setInterval(() => {
        beats += 1;
        beating = heartbeat()
          .then(() => sweep({ orphans: beats % ORPHAN_SCAN_EVERY_BEATS === 0 }))
          .catch(() => undefined); // the database is away: the next beat tries again
      }, heartbeatMs);
      timer.unref();
    },
    wrap(queue, handler) {
      leasedQueues.add(queue);
      return async (job) => {
        await db.query(
          `insert into job_leases (job_id, queue, worker_id) values ($1, $2, $3)
           on conflict (job_id) do update set worker_id = excluded.worker_id, started_at = now()`,
          [job.id, queue, workerId],
        );
        // The lease outlives the handler: the sweep releases it once pg-boss recorded the outcome.
        await handler(job);
      };
    },
    sweep,
    async stop() {
      clearInterval(timer);
      await beating;
      // Its leases go with it; pg-boss fails the jobs of handlers still in flight when they are aborted.
      await db.query('delete from job_workers where id = $1', [workerId]).catch(() => undefined);
    },
  };
}
