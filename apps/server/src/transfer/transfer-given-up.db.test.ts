import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTargets } from '../demo/seed-demo-targets.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { startPgBossQueue } from '../jobs/pg-boss-queue.js';
import { loadTenantConfig } from '../targets/tenant-config-cache.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { GIVEN_UP_REASON, giveUpTransfer } from './run-transfer.js';
import { TRANSFER_GIVEN_UP_QUEUE, TRANSFER_JOB_OPTIONS, TRANSFER_QUEUE } from './transfer-queue.js';

/**
 * A transfer whose worker dies during its last attempt never records an end itself. The queue gives
 * the job up (the worker leases fail it, or pg-boss's expiry does) and hands it to the dead-letter
 * queue, which fails the transfer: it never stays "running".
 */
describe('a transfer the queue gave up on', () => {
  let database: TestDatabase;
  let queue: JobQueue;
  let tenantId: string;
  let targetId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const tenant = await database.db.query<{ id: string }>(
      `insert into tenants (microsoft_tenant_id, name, admin_consent_at)
       values ('33333333-3333-4333-8333-333333333333', 'Given up', now()) returning id`,
    );
    tenantId = tenant.rows[0]?.id ?? '';
    await seedDemoTargets(database.db, tenantId);
    targetId = (await loadTenantConfig(database.db, tenantId)).targets[0]?.id ?? '';

    queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
    // As transfer.jobs.ts sets them up: the dead-letter queue first, then the transfer queue naming it.
    await queue.createQueue(TRANSFER_GIVEN_UP_QUEUE);
    await queue.createQueue(TRANSFER_QUEUE, TRANSFER_JOB_OPTIONS);
    const deps = {
      db: database.db,
      graphFor: () => {
        throw new Error('nothing was written, so Microsoft 365 is not asked');
      },
      fetch,
      now: () => new Date(),
    };
    await queue.work(TRANSFER_GIVEN_UP_QUEUE, (job) =>
      giveUpTransfer(deps, job as Parameters<typeof giveUpTransfer>[1]),
    );
  });
  afterAll(async () => {
    await queue.stop({ graceful: false });
    await database.drop();
  });

  async function transferIn(state: 'running' | 'done'): Promise<{ transferId: string; jobId: string }> {
    const inserted = await database.db.query<{ id: string }>(
      `insert into transfers (tenant_id, target_id, mailbox_object_id, message_id, internet_message_id, state, attempt_id)
       values ($1, $2, gen_random_uuid(), 'AAMk', '<given-up@x>', $3, gen_random_uuid()) returning id`,
      [tenantId, targetId, state],
    );
    const transferId = inserted.rows[0]?.id ?? '';
    const jobId = (await queue.send(TRANSFER_QUEUE, { tenantId, transferId }, TRANSFER_JOB_OPTIONS)) ?? '';
    // Its last attempt under way (no transfer worker here takes it): what a worker that died leaves.
    await database.db.query(
      `update pgboss.job set state = 'active', started_on = now(), retry_count = retry_limit
        where name = $1 and id = $2`,
      [TRANSFER_QUEUE, jobId],
    );
    return { transferId, jobId };
  }

  const transferState = async (transferId: string) =>
    (
      await database.db.query<{ state: string; failure_reason: string | null; finished_at: Date | null }>(
        'select state, failure_reason, finished_at from transfers where id = $1',
        [transferId],
      )
    ).rows[0];

  it('fails a transfer still running when its worker died during the last attempt', async () => {
    const { transferId, jobId } = await transferIn('running');
    // What the worker leases do once the worker is found dead.
    await queue.fail(TRANSFER_QUEUE, jobId);
    await expect
      .poll(async () => (await transferState(transferId))?.state, { timeout: 15_000 })
      .toBe('failed');
    const failed = await transferState(transferId);
    expect(failed?.failure_reason).toBe(GIVEN_UP_REASON);
    expect(failed?.finished_at).toBeInstanceOf(Date);
  });

  it('leaves a transfer alone that ended before the queue gave up on its job', async () => {
    const { transferId, jobId } = await transferIn('done');
    await queue.fail(TRANSFER_QUEUE, jobId);
    const handled = async () =>
      (
        await database.db.query<{ state: string }>(
          `select state::text as state from pgboss.job where name = $1 and data->>'transferId' = $2`,
          [TRANSFER_GIVEN_UP_QUEUE, transferId],
        )
      ).rows[0]?.state;
    await expect.poll(handled, { timeout: 15_000 }).toBe('completed');
    expect(await transferState(transferId)).toMatchObject({ state: 'done', failure_reason: null });
  });
});
