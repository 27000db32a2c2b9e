import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import type { JobQueue } from './job-queue.js';
import { startPgBossQueue } from './pg-boss-queue.js';
import { createWorkerLeases } from './worker-leases.js';

// Heartbeats are driven by hand (sweep) and "death" by moving a worker's last sign of life back in
// the database, so nothing here waits for real seconds to pass.
const NEVER = 3_600_000;

describe('worker leases: jobs of a process that died go back to the queue', () => {
  let database: TestDatabase;
  let queue: JobQueue;

  beforeAll(async () => {
    database = await createTestDatabase();
    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    await queue.createQueue('leased', { retryLimit: 2, retryDelaySeconds: 0 });
  });
  afterAll(async () => {
    await queue.stop({ graceful: false });
    await database.drop();
  });

  const stateOf = async (id: string) =>
    (
      await database.db.query<{ state: string }>(
        'select state::text as state from pgboss.job where id = $1',
        [id],
      )
    ).rows[0]?.state;

  it("fails a dead worker's job so it is retried, and leaves a live worker's job alone", async () => {
    const first = createWorkerLeases(database.db, queue, 'worker', {
      heartbeatMs: NEVER,
      deadAfterSeconds: 30,
    });
    const second = createWorkerLeases(database.db, queue, 'worker', {
      heartbeatMs: NEVER,
      deadAfterSeconds: 30,
    });
    await first.start();
    await second.start();

    // The first worker takes the job and hangs in it, as a process does when it is killed mid-job.
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    await queue.work(
      'leased',
      first.wrap('leased', async (job) => {
        runs.push(`first ${job.retryCount}`);
        if (job.retryCount === 0) await hanging;
      }),
    );
    const id = (await queue.send('leased', { n: 1 })) ?? '';
    await expect.poll(() => stateOf(id), { timeout: 15_000 }).toBe('active');
    await expect
      .poll(
        async () => (await database.db.query('select 1 from job_leases where job_id = $1', [id])).rowCount,
      )
      .toBe(1);

    // The second worker works the queue too (registered now, so the first one took the job).
    await queue.work(
      'leased',
      second.wrap('leased', async (job) => {
        runs.push(`second ${job.retryCount}`);
      }),
    );
    // Alive: another worker's sweep finds nothing to hand back.
    expect(await second.sweep()).toBe(0);
    expect(await stateOf(id)).toBe('active');

    // Silent for longer than the limit: the sweep fails the job and pg-boss retries it.
    await database.db.query(`update job_workers set seen_at = now() - interval '31 seconds' where id = $1`, [
      first.workerId,
    ]);
    expect(await second.sweep()).toBe(1);
    expect(['retry', 'active', 'completed']).toContain(await stateOf(id));
    await expect.poll(() => runs, { timeout: 15_000 }).toContain('second 1');
    await expect.poll(() => stateOf(id), { timeout: 15_000 }).toBe('completed');
    const workers = await database.db.query<{ id: string }>('select id from job_workers');
    expect(workers.rows.map((row) => row.id)).toEqual([second.workerId]);

    release();
    await first.stop();
    await second.stop();
  });

  it('hands back a job whose process died after taking it and before writing its lease', async () => {
    const leases = createWorkerLeases(database.db, queue, 'worker', {
      heartbeatMs: NEVER,
      deadAfterSeconds: 30,
    });
    await leases.start();
    await queue.createQueue('orphaned', { retryLimit: 2, retryDelaySeconds: 0 });
    const id = (await queue.send('orphaned', { n: 2 })) ?? '';
    // What pg-boss's fetch leaves when the process dies right after it: active, no lease anywhere.
    await database.db.query(
      `update pgboss.job set state = 'active', started_on = now() - interval '10 seconds'
        where name = 'orphaned' and id = $1`,
      [id],
    );
    const runs: number[] = [];
    await queue.work(
      'orphaned',
      leases.wrap('orphaned', async (job) => {
        runs.push(job.retryCount);
      }),
    );
    // Taken only moments ago: its process may be writing the lease right now.
    expect(await leases.sweep()).toBe(0);
    expect(await stateOf(id)).toBe('active');

    await database.db.query(
      `update pgboss.job set started_on = now() - interval '31 seconds' where name = 'orphaned' and id = $1`,
      [id],
    );
    expect(await leases.sweep()).toBe(1);
    await expect.poll(() => stateOf(id), { timeout: 15_000 }).toBe('completed');
    expect(runs).toEqual([1]);
    await leases.stop();
  });

  it('keeps a lease until the queue recorded how the job ended, however it ended', async () => {
    const leases = createWorkerLeases(database.db, queue, 'worker', { heartbeatMs: NEVER });
    await leases.start();
    await queue.createQueue('ending', { retryLimit: 0 });
    await queue.work(
      'ending',
      leases.wrap('ending', async (job: { data: { fail: boolean } }) => {
        if (job.data.fail) throw new Error('the handler failed');
      }),
    );
    const succeeded = (await queue.send('ending', { fail: false })) ?? '';
    const failed = (await queue.send('ending', { fail: true })) ?? '';
    await expect.poll(() => stateOf(succeeded), { timeout: 15_000 }).toBe('completed');
    await expect.poll(() => stateOf(failed), { timeout: 15_000 }).toBe('failed');
    const leased = async () =>
      (
        await database.db.query<{ job_id: string }>(
          'select job_id from job_leases where job_id = any($1::uuid[]) order by job_id',
          [[succeeded, failed]],
        )
      ).rows.map((row) => row.job_id);
    // Released by a sweep a few seconds later, not by the handler: its outcome is written after it.
    expect(await leased()).toEqual([succeeded, failed].sort());
    await leases.sweep();
    expect(await leased()).toHaveLength(2);
    await database.db.query(
      `update job_leases set started_at = now() - interval '11 seconds' where job_id = any($1::uuid[])`,
      [[succeeded, failed]],
    );
    expect(await leases.sweep()).toBe(0);
    expect(await leased()).toEqual([]);

    await leases.stop();
    expect(
      (await database.db.query('select 1 from job_workers where id = $1', [leases.workerId])).rowCount,
    ).toBe(0);
  });
});
