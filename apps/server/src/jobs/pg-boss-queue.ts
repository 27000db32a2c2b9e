import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { type Database, type Queryable, TENANT_ROLE } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { HANDED_BACK_REASON, type Job, type JobOptions, type JobQueue } from './job-queue.js';
import { requestedRetryDelayMs } from './retry-not-sooner.js';
import { WorkerWakeups } from './worker-wakeups.js';

type BossDb = PgBoss.Db;

/**
 * pg-boss speaks to the database through our own Database, so it runs on PGlite (one connection,
 * shared) as well as on a PostgreSQL server. Parameterless SQL may hold several statements (pg-boss's
 * schema installation), which only the simple query protocol accepts.
 *
 * Statements with parameters run prepared (decision 172): pg-boss's texts are fixed per process (its
 * schema and options, never a value), and its insert and fetch are long enough that parsing and
 * planning them on every call took half of a send's time on PostgreSQL.
 */
function bossAdapter(db: Pick<Database, 'simpleQuery'> & Queryable): BossDb {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length === 0 && 'simpleQuery' in db) return db.simpleQuery(text);
      return db.query(text, values, PREPARED);
    },
  };
}

function transactionAdapter(tx: Queryable): BossDb {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      return tx.query(text, values, PREPARED);
    },
  };
}

const PREPARED = { prepared: true } as const;

const QUEUE_NAME = /^[A-Za-z0-9._-]+$/;

function toSendOptions(options: JobOptions): PgBoss.SendOptions {
  return {
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
    ...(options.retryDelaySeconds !== undefined ? { retryDelay: options.retryDelaySeconds } : {}),
    ...(options.retryBackoff !== undefined ? { retryBackoff: options.retryBackoff } : {}),
    ...(options.expireInSeconds !== undefined ? { expireInSeconds: options.expireInSeconds } : {}),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
  };
}

/**
 * Lets the tenant role queue a job inside its own transaction (`withTenant`), so row-level security
 * stays on while a row and its job are written together (docs/decisions/013). The role may add jobs
 * and read the queues' settings pg-boss's insert joins with; of the job table it may read only the
 * id the insert returns, never another tenant's job data. Granted on every start, because pg-boss
 * creates (and on upgrades may recreate) its schema after our migrations have run.
 */
const TENANT_ENQUEUE_GRANTS = `
  grant usage on schema pgboss to ${TENANT_ROLE};
  grant select on pgboss.queue to ${TENANT_ROLE};
  grant insert on pgboss.job to ${TENANT_ROLE};
  grant select (id) on pgboss.job to ${TENANT_ROLE};
`;

/** NOTIFY channel on which a sent job (`<queue> <job id>`) wakes a worker of its queue in every process. */
const JOB_SENT_CHANNEL = 'mailissa_job_sent';

/** The queue a notice names; an earlier version's notice is the queue's name alone. */
function queueOfNotice(payload: string): string {
  const space = payload.indexOf(' ');
  return space === -1 ? payload : payload.slice(0, space);
}

export interface PgBossQueueOptions {
  /** How often an idle worker looks for new jobs. */
  pollingIntervalSeconds?: number;
  onError?: (error: Error) => void;
  /**
   * false in a process that only serves requests (PROCESS_ROLE=api): it enqueues, but neither
   * supervises the queues (expiry, retention) nor fires schedules; the worker processes do.
   */
  runsJobs?: boolean;
  /** On stop, how long handlers in flight may finish before their jobs go back to the queue. */
  stopGraceSeconds?: number;
}

/** How long a job's outcome is retried while the database does not answer (see below). */
const OUTCOME_RETRY = { attempts: 180, intervalMs: 1000 };
let outcomesSurviveOutages = false;
/**
 * The database adapters of queues that are stopping. A handler that ends after its queue stopped
 * (aborted by the shutdown) has its outcome recorded against a database that may be closed already;
 * that outcome is dropped rather than left as an unhandled rejection: the job stays `active` and the
 * worker leases (decision 090) or pg-boss's expiry hand it back, as after a crash.
 */
const stoppingDatabases = new WeakSet<object>();
/**
 * The database adapters of queues whose stop() has returned: pg-boss has failed the jobs still in
 * flight (so they are retried after their back-off). An outcome a handler records later is dropped:
 * recording it would fail the job a second time and push its retry out by another back-off.
 */
const stoppedDatabases = new WeakSet<object>();

/**
 * pg-boss 10 records a job's outcome after its handler (`complete`, or `fail` when it threw) without
 * awaiting it (src/manager.js, `onFetch`). With the database restarting, that rejection would end the
 * worker process, and the job would sit `active` until its expiry (15 minutes for a transfer). So an
 * outcome is retried while the database is unreachable, for up to three minutes; any other error, or
 * a longer outage, still rejects as before (a worker cut off that long is restarted by its
 * orchestrator, and pg-boss's expiry hands the job back). Patched once, on pg-boss's own class,
 * because the manager instance is private to PgBoss.
 */
function recordOutcomesThroughOutages(): void {
  if (outcomesSurviveOutages) return;
  outcomesSurviveOutages = true;
  const manager = createRequire(import.meta.url)('pg-boss/src/manager.js') as {
    prototype: Record<'complete' | 'fail', (...args: unknown[]) => Promise<unknown>>;
  };
  for (const method of ['complete', 'fail'] as const) {
    const original = manager.prototype[method];
    const patched = async function (this: unknown, ...args: unknown[]) {
      const stopped = (this as { db?: object }).db;
      if (stopped && stoppedDatabases.has(stopped)) return undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          return await original.apply(this, args);
        } catch (error) {
          const database = (this as { db?: object }).db;
          if (database && stoppingDatabases.has(database)) return undefined;
          if (!isDatabaseUnavailable(error) || attempt >= OUTCOME_RETRY.attempts) throw error;
          await delay(OUTCOME_RETRY.intervalMs, undefined, { ref: false });
        }
      }
    };
    // PgBoss exposes the manager's methods under their function names (src/index.js).
    Object.defineProperty(patched, 'name', { value: method });
    manager.prototype[method] = patched;
  }
}

/**
 * How often a worker fetches on its own, should a wake-up have been missed: a NOTIFY lost with a
 * dropped connection is made up for on reconnect, so this is a last resort.
 */
const WORKER_SAFETY_POLL_SECONDS = 30;

export async function startPgBossQueue(db: Database, options: PgBossQueueOptions = {}): Promise<JobQueue> {
  recordOutcomesThroughOutages();
  const adapter = bossAdapter(db);
  const boss = new PgBoss({
    db: adapter,
    schema: 'pgboss',
    supervise: options.runsJobs ?? true,
    schedule: options.runsJobs ?? true,
    migrate: true,
  });
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  await db.exec(TENANT_ENQUEUE_GRANTS);
  const polling = options.pollingIntervalSeconds ?? 0.5;
  const created = new Set<string>();
  // pg-boss polls: a worker waits its polling interval after every fetch, even one that found work.
  // So a worker that just ran a job looks again at once, and a sent job wakes a worker of its queue
  // in every process (NOTIFY on PostgreSQL, delivered when the sending transaction commits).
  const wakeups = new WorkerWakeups((workerId) => boss.notifyWorker(workerId));
  const stopListening = db.listen
    ? await db.listen(
        JOB_SENT_CHANNEL,
        (payload) => wakeups.wakeOne(queueOfNotice(payload)),
        () => {
          for (const queue of wakeups.queueNames()) wakeups.wakeAll(queue);
        },
      )
    : null;
  // Jobs that become due on their own (a retry after its back-off, a scheduled run) are found by one
  // statement for all queues every polling interval, which wakes the workers of the queues that have
  // one; each worker's own poll is only a safety net.
  // Polling every queue itself was some 30 fetches per interval and process (decision 159).
  let scanning = false;
  const scanForDueJobs = async () => {
    const queues = wakeups.queueNames();
    if (scanning || queues.length === 0) return;
    scanning = true;
    try {
      // Prepared: planning it over the queues' partition tables cost several times its run, every
      // interval. Without parameters, so PGlite prepares it too: the names are this process's own
      // queues, made of characters an array literal takes unquoted (checked when they are added).
      const due = await db.query<{ name: string }>(
        `select name from pgboss.job
          where name = any('{${queues.join(',')}}'::text[]) and state < 'active' and start_after < now()
          group by name`,
        [],
        PREPARED,
      );
      for (const row of due.rows) wakeups.wakeAll(row.name);
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } finally {
      scanning = false;
    }
  };
  const dueScan = setInterval(() => void scanForDueJobs(), polling * 1000);
  dueScan.unref();

  // Every start declares every queue and schedule again, and nearly all of them are there already,
  // unchanged: pg-boss's create and upsert would run some 40 statements to change nothing (on PGlite
  // half a second of the server's start, in every test server and in every instance of a rolling
  // deploy). What is there is read once; only what is missing or different is written.
  let queuesThere: Promise<Map<string, { policy: string; deadLetter: string | null }>> | undefined;
  const existingQueues = () => {
    queuesThere ??= db
      .query<{ name: string; policy: string | null; dead_letter: string | null }>(
        'select name, policy, dead_letter from pgboss.queue',
      )
      .then(
        ({ rows }) =>
          new Map(
            rows.map((row) => [row.name, { policy: row.policy ?? 'standard', deadLetter: row.dead_letter }]),
          ),
      );
    return queuesThere;
  };
  const scheduleKey = (cron: string, timezone: string, data: unknown, scheduleOptions: unknown) =>
    JSON.stringify([cron, timezone, data ?? {}, scheduleOptions ?? {}]);
  let schedulesThere: Promise<Map<string, string>> | undefined;
  const existingSchedules = () => {
    schedulesThere ??= db
      .query<{ name: string; cron: string; timezone: string; data: unknown; options: unknown }>(
        'select name, cron, timezone, data, options from pgboss.schedule',
      )
      .then(
        ({ rows }) =>
          new Map(rows.map((row) => [row.name, scheduleKey(row.cron, row.timezone, row.data, row.options)])),
      );
    return schedulesThere;
  };

  return {
    async createQueue(name, queueOptions = {}) {
      if (created.has(name)) return;
      // Our names only: letters, digits, dots, hyphens and underscores (the due-job scan lists them
      // in an array literal, where these need no quoting).
      if (!QUEUE_NAME.test(name)) throw new Error(`invalid job queue name: ${JSON.stringify(name)}`);
      const { policy, deadLetter, ...options } = queueOptions;
      const existing = (await existingQueues()).get(name);
      if (!existing) {
        await boss.createQueue(name, {
          name,
          ...toSendOptions(options),
          ...(policy ? { policy } : {}),
          ...(deadLetter ? { deadLetter } : {}),
        });
      }
      // A queue created by an earlier version keeps its settings unless told otherwise (pg-boss's
      // update takes the standard policy when none is given); a new one was created with them.
      const changed =
        existing !== undefined &&
        (existing.policy !== (policy ?? 'standard') ||
          existing.deadLetter !== (deadLetter ?? existing.deadLetter));
      if ((policy || deadLetter) && changed) {
        await boss.updateQueue(name, {
          name,
          policy: policy ?? 'standard',
          ...(deadLetter ? { deadLetter } : {}),
        });
      }
      created.add(name);
    },
    async send(name, data, sendOptions = {}) {
      const { transaction, ...jobOptions } = sendOptions;
      const id = await boss.send(name, data, {
        ...toSendOptions(jobOptions),
        ...(transaction ? { db: transactionAdapter(transaction) } : {}),
      });
      // No id: a singleton's job was already waiting, and nothing new was queued.
      if (id && !jobOptions.startAfter) {
        if (stopListening) {
          // The job's id makes each notice unique: PostgreSQL delivers equal notices of one
          // transaction once, and each job is to wake a worker.
          await (transaction ?? db).query(
            'select pg_notify($1, $2)',
            [JOB_SENT_CHANNEL, `${name} ${id}`],
            PREPARED,
          );
        } else {
          // PGlite: one process and one connection. Woken at once even when the job was sent in a
          // transaction: the worker's fetch waits for the connection until that transaction has
          // ended, so it finds the committed job (and nothing after a rollback).
          wakeups.wakeOne(name);
        }
      }
      return id;
    },
    async work<Data extends object>(name: string, handler: (job: Job<Data>) => Promise<void>) {
      /**
       * A handler's error asked for a later retry (a target's Retry-After, retry-not-sooner.ts).
       * pg-boss would fail the job with its own back-off alone, so the failure is recorded here and
       * the retry's start moved out to what was asked; pg-boss's `complete` afterwards changes only
       * active jobs, so it leaves this one alone. A last attempt fails for good as usual (dead letter).
       */
      const failRetryingNoSooner = async (queue: string, id: string, error: unknown, wait: number) => {
        await boss.fail(queue, id, { message: error instanceof Error ? error.message : String(error) });
        await db.query(
          `update pgboss.job set start_after = greatest(start_after, now() + $3 * interval '1 millisecond')
           where name = $1 and id = $2 and state = 'retry'`,
          [queue, id, wait],
        );
      };
      let workerId = '';
      workerId = await boss.work<Data>(
        name,
        {
          includeMetadata: true,
          batchSize: 1,
          pollingIntervalSeconds: Math.max(polling, WORKER_SAFETY_POLL_SECONDS),
        },
        async (jobs) => {
          wakeups.started(name, workerId);
          try {
            for (const job of jobs) {
              try {
                await handler({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount });
              } catch (error) {
                const wait = requestedRetryDelayMs(error);
                if (wait === undefined) throw error;
                await failRetryingNoSooner(name, job.id, error, wait);
              }
            }
          } finally {
            wakeups.finished(name, workerId);
            // There may be more waiting: fetch again now rather than after the polling interval.
            if (jobs.length > 0 && workerId) boss.notifyWorker(workerId);
          }
        },
      );
      wakeups.add(name, workerId);
    },
    async fail(name, id) {
      await boss.fail(name, id, { message: HANDED_BACK_REASON });
    },
    async schedule(name, cron, data) {
      const scheduleOptions = { tz: 'UTC' };
      const wanted = scheduleKey(cron, 'UTC', data ?? {}, scheduleOptions);
      const schedules = await existingSchedules();
      if (schedules.get(name) === wanted) return;
      await boss.schedule(name, cron, data ?? {}, scheduleOptions);
      // What is there now: a later call in this process compares with this, not with the start's read.
      schedules.set(name, wanted);
    },
    async stop(stopOptions = {}) {
      clearInterval(dueScan);
      stoppingDatabases.add(adapter);
      await stopListening?.();
      await boss.stop({
        graceful: stopOptions.graceful ?? true,
        wait: true,
        timeout: (options.stopGraceSeconds ?? 10) * 1000,
        close: false,
      });
      stoppedDatabases.add(adapter);
    },
  };
}
