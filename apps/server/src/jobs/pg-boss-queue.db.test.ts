import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/database.js';
import { makeRetriesDueNow } from '../test-support/job-queue-state.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import type { JobQueue } from './job-queue.js';
import { startPgBossQueue } from './pg-boss-queue.js';
import { retryNoSoonerThan } from './retry-not-sooner.js';

describe('database job queue (pg-boss)', () => {
  let database: TestDatabase;
  let queue: JobQueue | undefined;

  // One database for the file: every test uses a queue of its own name.
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await queue?.stop();
    queue = undefined;
  });
  afterAll(async () => {
    await database.drop();
  });

  it('runs a queued job with its data', async () => {
    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    await queue.createQueue('greet');
    const seen: string[] = [];
    await queue.work<{ name: string }>('greet', async (job) => {
      seen.push(job.data.name);
    });
    await queue.send('greet', { name: 'Ada' });
    await expect.poll(() => seen, { timeout: 15_000 }).toEqual(['Ada']);
  });

  it('runs jobs sent in one transaction side by side, each waking a worker of its own', async () => {
    // Polling a minute apart: only the jobs' own notices can start the workers within the test.
    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 60 });
    await queue.createQueue('side-by-side');
    let started = 0;
    let releaseAll: () => void = () => undefined;
    const allStarted = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    const finished: number[] = [];
    for (let worker = 0; worker < 3; worker++) {
      await queue.work<{ n: number }>('side-by-side', async (job) => {
        started += 1;
        if (started === 3) releaseAll();
        // Each job waits for the other two to start: run one after another, none would finish.
        await allStarted;
        finished.push(job.data.n);
      });
    }
    const q = queue;
    await database.db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) await q.send('side-by-side', { n }, { transaction: tx });
    });
    await expect.poll(() => [...finished].sort(), { timeout: 15_000 }).toEqual([1, 2, 3]);
  });

  it('writes a job inside a transaction only when the transaction commits', async () => {
    queue = await startPgBossQueue(database.db);
    await queue.createQueue('outbox');
    const q = queue;
    await database.db
      .transaction(async (tx) => {
        await q.send('outbox', { n: 1 }, { transaction: tx });
        throw new Error('roll back');
      })
      .catch(() => {});
    await database.db.transaction(async (tx) => {
      await q.send('outbox', { n: 2 }, { transaction: tx });
    });
    const jobs = await database.db.query<{ data: { n: number } }>(
      `select data from pgboss.job where name = 'outbox'`,
    );
    expect(jobs.rows.map((row) => row.data.n)).toEqual([2]);
  });

  it('queues a job from a tenant transaction without leaving the tenant role', async () => {
    queue = await startPgBossQueue(database.db);
    await queue.createQueue('tenant-work');
    const q = queue;
    const tenantId = '00000000-0000-4000-8000-000000000001';
    const inside = await withTenant(database.db, tenantId, async (tx) => {
      const id = await q.send('tenant-work', { tenantId }, { transaction: tx });
      const role = await tx.query<{ current_user: string }>('select current_user');
      return { id, role: role.rows[0]?.current_user };
    });
    expect(inside.role).toBe('mailissa_app');
    expect(inside.id).toEqual(expect.any(String));
    const jobs = await database.db.query<{ data: { tenantId: string } }>(
      `select data from pgboss.job where name = 'tenant-work'`,
    );
    expect(jobs.rows.map((row) => row.data.tenantId)).toEqual([tenantId]);
  });

  it('hands a job that failed for good, queued by a tenant, to its dead-letter queue', async () => {
    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    await queue.createQueue('given-up');
    await queue.createQueue('fragile', { retryLimit: 1, retryDelaySeconds: 0, deadLetter: 'given-up' });
    const attempts: number[] = [];
    await queue.work('fragile', async (job) => {
      attempts.push(job.retryCount);
      throw new Error('still broken');
    });
    const givenUp: { tenantId: string }[] = [];
    await queue.work<{ tenantId: string }>('given-up', async (job) => {
      givenUp.push(job.data);
    });
    const q = queue;
    const tenantId = '00000000-0000-4000-8000-000000000002';
    await withTenant(database.db, tenantId, (tx) => q.send('fragile', { tenantId }, { transaction: tx }));
    await expect.poll(() => givenUp, { timeout: 15_000 }).toEqual([{ tenantId }]);
    expect(attempts).toEqual([0, 1]);
  });

  it('refuses the tenant role reading job data', async () => {
    queue = await startPgBossQueue(database.db);
    const refused = await withTenant(database.db, '00000000-0000-4000-8000-000000000001', (tx) =>
      tx.query('select data from pgboss.job'),
    ).then(
      () => 'read',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/permission denied/);
  });

  it('retries a failing job and reports how often it was retried', async () => {
    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    await queue.createQueue('flaky', { retryLimit: 2, retryDelaySeconds: 0 });
    const attempts: number[] = [];
    await queue.work('flaky', async (job) => {
      attempts.push(job.retryCount);
      if (attempts.length < 2) throw new Error('first attempt fails');
    });
    await queue.send('flaky', {}, { retryLimit: 2, retryDelaySeconds: 0 });
    await expect.poll(() => attempts, { timeout: 20_000 }).toEqual([0, 1]);
  });

  it("starts the retry no sooner than the failed attempt asked (a target's Retry-After)", async () => {
    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    await queue.createQueue('throttled', { retryLimit: 2, retryDelaySeconds: 1 });
    const attempts: number[] = [];
    await queue.work('throttled', async (job) => {
      attempts.push(job.retryCount);
      if (attempts.length === 1) throw retryNoSoonerThan(new Error('busy, come back in 2 minutes'), 120_000);
    });
    const id = await queue.send('throttled', {}, { retryLimit: 2, retryDelaySeconds: 1 });
    const waiting = async () =>
      (
        await database.db.query<{ state: string; wait: number }>(
          `select state, extract(epoch from (start_after - now()))::int as wait from pgboss.job where id = $1`,
          [id],
        )
      ).rows[0];
    // The queue's own back-off would be about a second; the attempt asked for two minutes.
    await expect.poll(waiting, { timeout: 15_000 }).toMatchObject({ state: 'retry' });
    expect((await waiting())?.wait).toBeGreaterThanOrEqual(110);
    expect(attempts).toEqual([0]);
    expect(await makeRetriesDueNow(database.db, 'throttled')).toBe(1);
    await expect.poll(() => attempts, { timeout: 15_000 }).toEqual([0, 1]);
    await expect.poll(async () => (await waiting())?.state, { timeout: 15_000 }).toBe('completed');
  });

  it('keeps one waiting job per key on a short queue, also for a queue an earlier version created', async () => {
    const first = await startPgBossQueue(database.db);
    await first.createQueue('coalesced');
    await first.stop();
    queue = await startPgBossQueue(database.db);
    await queue.createQueue('coalesced', { policy: 'short' });
    const q = queue;
    const tenantId = '00000000-0000-4000-8000-000000000002';
    const sent = await withTenant(database.db, tenantId, async (tx) => [
      await q.send('coalesced', { n: 1 }, { transaction: tx, singletonKey: 'mail-a' }),
      await q.send('coalesced', { n: 2 }, { transaction: tx, singletonKey: 'mail-a' }),
      await q.send('coalesced', { n: 3 }, { transaction: tx, singletonKey: 'mail-b' }),
    ]);
    expect(sent[0]).toBeTruthy();
    expect(sent[1]).toBeNull();
    expect(sent[2]).toBeTruthy();
    const jobs = await database.db.query<{ singleton_key: string }>(
      `select singleton_key from pgboss.job where name = 'coalesced' order by singleton_key`,
    );
    expect(jobs.rows.map((row) => row.singleton_key)).toEqual(['mail-a', 'mail-b']);
  });

  it('keeps a queued job across a restart of the queue', async () => {
    const first = await startPgBossQueue(database.db);
    await first.createQueue('durable');
    await first.send('durable', { id: 'kept' });
    await first.stop();

    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    const seen: string[] = [];
    await queue.work<{ id: string }>('durable', async (job) => {
      seen.push(job.data.id);
    });
    await expect.poll(() => seen, { timeout: 15_000 }).toEqual(['kept']);
  });

  it('declares queues and schedules again on a restart, writing only what changed', async () => {
    const first = await startPgBossQueue(database.db, { runsJobs: false });
    await first.createQueue('nightly-report', { policy: 'short' });
    await first.createQueue('nightly-cleanup');
    await first.schedule('nightly-report', '0 3 * * *');
    await first.schedule('nightly-cleanup', '0 4 * * *');
    await first.stop();
    const state = async () => ({
      queues: (
        await database.db.query<{ name: string; policy: string; updated: string }>(
          `select name, policy, updated_on::text as updated from pgboss.queue
            where name like 'nightly-%' order by name`,
        )
      ).rows,
      schedules: (
        await database.db.query<{ name: string; cron: string; updated: string }>(
          `select name, cron, updated_on::text as updated from pgboss.schedule
            where name like 'nightly-%' order by name`,
        )
      ).rows,
    });
    const before = await state();

    // The next version's start: the report's settings unchanged, the clean-up's policy and time new.
    queue = await startPgBossQueue(database.db, { runsJobs: false });
    await queue.createQueue('nightly-report', { policy: 'short' });
    await queue.createQueue('nightly-cleanup', { policy: 'short' });
    await queue.schedule('nightly-report', '0 3 * * *');
    await queue.schedule('nightly-cleanup', '30 4 * * *');
    const after = await state();

    expect(after.queues[1]).toEqual(before.queues[1]);
    expect(after.schedules[1]).toEqual(before.schedules[1]);
    expect(after.queues[0]).toMatchObject({ name: 'nightly-cleanup', policy: 'short' });
    expect(after.queues[0]?.updated).not.toBe(before.queues[0]?.updated);
    expect(after.schedules[0]).toMatchObject({ name: 'nightly-cleanup', cron: '30 4 * * *' });
    expect(after.schedules[0]?.updated).not.toBe(before.schedules[0]?.updated);
  });

  it('refuses a queue name with characters beyond letters, digits, dots, hyphens and underscores', async () => {
    queue = await startPgBossQueue(database.db, { runsJobs: false });
    await expect(queue.createQueue('mail,transfer')).rejects.toThrow(/invalid job queue name/);
    await expect(queue.createQueue('mail transfer')).rejects.toThrow(/invalid job queue name/);
    await queue.createQueue('mail.transfer-2_b');
  });

  it('writes a schedule changed back within one process', async () => {
    const first = await startPgBossQueue(database.db, { runsJobs: false });
    await first.createQueue('weekly-digest');
    await first.schedule('weekly-digest', '0 6 * * 1');
    await first.stop();
    // The next start reads the 6 o'clock schedule, moves it to 7 and back to 6.
    queue = await startPgBossQueue(database.db, { runsJobs: false });
    await queue.createQueue('weekly-digest');
    await queue.schedule('weekly-digest', '0 7 * * 1');
    await queue.schedule('weekly-digest', '0 6 * * 1');
    const { rows } = await database.db.query<{ cron: string }>(
      `select cron from pgboss.schedule where name = 'weekly-digest'`,
    );
    expect(rows).toEqual([{ cron: '0 6 * * 1' }]);
  });
});
