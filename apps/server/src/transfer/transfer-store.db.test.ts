import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { DEMO_DRIVE_ID } from '../demo/emulators.js';
import { seedDemoTargets } from '../demo/seed-demo-targets.js';
import type { GraphClient } from '../graph/graph-client.js';
import { graphError } from '../graph/graph-errors.js';
import type { Job, JobOptions, JobQueue } from '../jobs/job-queue.js';
import { GroupMembershipCache } from '../targets/group-membership-cache.js';
import { requireTransferLicence } from '../targets/require-transfer-licence.js';
import { loadTenantConfig } from '../targets/tenant-config-cache.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { createTransfer } from './create-transfer.js';
import { listTransfersOfMessage } from './list-transfers-of-message.js';
import { purgeOldTransfers } from './purge-old-transfers.js';
import { runTransfer } from './run-transfer.js';
import { TRANSFER_JOB_OPTIONS } from './transfer-queue.js';

let database: TestDatabase;
const ids = { tenantA: '', tenantB: '', alice: '', bob: '', carol: '' };

async function insertTenant(microsoftTenantId: string, name: string): Promise<string> {
  const result = await database.db.query<{ id: string }>(
    // Customers whose administrator has granted admin consent, as transfers require.
    'insert into tenants (microsoft_tenant_id, name, admin_consent_at) values ($1, $2, now()) returning id',
    [microsoftTenantId, name],
  );
  return result.rows[0]?.id ?? '';
}

async function insertUser(tenantId: string, name: string, admin: boolean): Promise<string> {
  const result = await database.db.query<{ id: string }>(
    `insert into users (tenant_id, entra_object_id, email, display_name, is_user_admin, is_tenant_admin)
     values ($1, gen_random_uuid(), $2, $3, $4, $4) returning id`,
    [tenantId, `${name.toLowerCase()}@example.test`, name, admin],
  );
  return result.rows[0]?.id ?? '';
}

/** A queue that only records what was sent inside the caller's transaction. */
function recordingQueue(): JobQueue & { sent: { name: string; options: JobOptions | undefined }[] } {
  const sent: { name: string; options: JobOptions | undefined }[] = [];
  return {
    sent,
    async createQueue() {},
    async send(name, _data, options) {
      await options?.transaction?.query('select 1');
      sent.push({ name, options });
      return 'job-id';
    },
    async work<Data extends object>(_name: string, _handler: (job: Job<Data>) => Promise<void>) {},
    async fail() {},
    async schedule() {},
    async stop() {},
  };
}

/** Graph must not be asked at all when the request is refused before the message check. */
const unreachableGraph: GraphClient = {
  request: () => Promise.reject(new Error('Graph must not be called')),
  json: () => Promise.reject(new Error('Graph must not be called')),
  paginate: () => {
    throw new Error('Graph must not be called');
  },
  stream: () => Promise.reject(new Error('Graph must not be called')),
  batch: () => Promise.reject(new Error('Graph must not be called')),
};

function principalOf(tenantId: string, userId: string): Principal {
  return {
    tenantId,
    userId,
    microsoftTenantId: '00000000-0000-4000-8000-000000000001',
    objectId: '00000000-0000-4000-8000-000000000002',
    email: 'x@example.test',
    displayName: 'X',
    tenantName: 'T',
    roles: [],
    accessToken: 'unused',
    claims: { tenantId: '', objectId: '', username: '', name: '', scopes: [], roles: [], expiresAt: 0 },
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  ids.tenantA = await insertTenant('11111111-1111-4111-8111-111111111111', 'A');
  ids.tenantB = await insertTenant('22222222-2222-4222-8222-222222222222', 'B');
  ids.alice = await insertUser(ids.tenantA, 'Alice', true);
  ids.bob = await insertUser(ids.tenantA, 'Bob', false);
  ids.carol = await insertUser(ids.tenantB, 'Carol', false);
  await database.db.query(
    `insert into licence_assignments (tenant_id, user_id, module) values ($1, $2, 'transfer'), ($3, $4, 'transfer')`,
    [ids.tenantA, ids.alice, ids.tenantB, ids.carol],
  );
});
afterAll(async () => {
  await database.drop();
});

describe('targets and transfers in the database', () => {
  it('seeds the demo targets once, however often it runs', async () => {
    await seedDemoTargets(database.db, ids.tenantA);
    await seedDemoTargets(database.db, ids.tenantA);
    const targets = (await loadTenantConfig(database.db, ids.tenantA)).targets;
    expect(targets.map((t) => t.title_en)).toEqual(['Contracts 2026', 'Project Alpha']);
    expect(targets[1]?.settings).toEqual({ driveId: DEMO_DRIVE_ID, folderPath: 'Projects/Alpha' });
  });

  it("keeps one tenant's targets invisible to another, even without a tenant filter", async () => {
    const seenByB = await withTenant(database.db, ids.tenantB, (tx) => tx.query('select id from targets'));
    expect(seenByB.rowCount).toBe(0);
  });

  it('refuses a user without a Transfer licence and names the user administrators', async () => {
    const error = await withTenant(database.db, ids.tenantA, (tx) =>
      requireTransferLicence(tx, ids.tenantA, ids.bob),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      code: 'no_licence',
      extra: { administrators: [{ displayName: 'Alice', email: 'alice@example.test' }] },
    });
  });

  it("refuses another tenant's target and a disabled target without queueing anything", async () => {
    const [target] = (await loadTenantConfig(database.db, ids.tenantA)).targets;
    const jobs = recordingQueue();
    const body = {
      messageId: 'AAMk_x-1=',
      internetMessageId: '<m@example.test>',
      targetId: target?.id ?? '',
    };
    await expect(
      createTransfer(
        {
          db: database.db,
          jobs,
          graph: unreachableGraph,
          memberships: new GroupMembershipCache(() => unreachableGraph),
        },
        principalOf(ids.tenantB, ids.carol),
        body,
      ),
    ).rejects.toMatchObject({ status: 404, code: 'target_not_found' });
    await database.db.query('update targets set enabled = false where id = $1', [target?.id]);
    await expect(
      createTransfer(
        {
          db: database.db,
          jobs,
          graph: unreachableGraph,
          memberships: new GroupMembershipCache(() => unreachableGraph),
        },
        principalOf(ids.tenantA, ids.alice),
        body,
      ),
    ).rejects.toMatchObject({ status: 409, code: 'target_disabled' });
    await database.db.query('update targets set enabled = true where id = $1', [target?.id]);
    expect(jobs.sent).toEqual([]);
    expect((await database.db.query('select id from transfers')).rowCount).toBe(0);
  });

  it("lists a mail's transfers newest first, marks the viewer's own, and purges old ones", async () => {
    const [target] = (await loadTenantConfig(database.db, ids.tenantA)).targets;
    const now = new Date('2026-06-01T12:00:00Z');
    const insert = (createdBy: string, createdAt: Date, internetMessageId: string, state = 'done') =>
      database.db.query(
        `insert into transfers (tenant_id, target_id, created_by, mailbox_object_id, message_id, internet_message_id, state, created_at)
         values ($1, $2, $3, gen_random_uuid(), 'AAMk', $4, $5, $6)`,
        [ids.tenantA, target?.id, createdBy, internetMessageId, state, createdAt],
      );
    await insert(ids.alice, new Date('2026-05-30T00:00:00Z'), '<same@x>');
    await insert(ids.bob, new Date('2026-05-31T00:00:00Z'), '<same@x>');
    await insert(ids.bob, new Date('2026-05-31T00:00:00Z'), '<other@x>', 'running');
    await insert(ids.alice, new Date('2026-01-01T00:00:00Z'), '<same@x>');
    const list = await withTenant(database.db, ids.tenantA, (tx) =>
      listTransfersOfMessage(tx, ids.tenantA, '<same@x>', ids.alice),
    );
    expect(list.map((t) => [t.createdBy?.displayName, t.createdBy?.isYou])).toEqual([
      ['Bob', false],
      ['Alice', true],
      ['Alice', true],
    ]);
    expect(list[0]?.subject).toBeNull();
    const seenByB = await withTenant(database.db, ids.tenantB, (tx) =>
      listTransfersOfMessage(tx, ids.tenantB, '<same@x>', ids.carol),
    );
    expect(seenByB).toEqual([]);

    const purged = await purgeOldTransfers(database.db, now);
    expect(purged.deleted).toBe(1); // the one from January
    expect(purged.failed).toBe(1); // running for more than a day
    const after = await withTenant(database.db, ids.tenantA, (tx) =>
      listTransfersOfMessage(tx, ids.tenantA, '<same@x>', ids.alice),
    );
    expect(after).toHaveLength(2);
  });
});

describe('a transfer attempt that meets a Graph outage', () => {
  /** Graph answering 503 however often it is asked (after the client's own retries). */
  const unavailableGraph: GraphClient = {
    ...unreachableGraph,
    json: () => Promise.reject(graphError(503, 'serviceNotAvailable', 'GET /users/x/messages/y')),
  };

  it('is queued again while attempts are left and failed with a readable reason after the last', async () => {
    const [target] = (await loadTenantConfig(database.db, ids.tenantA)).targets;
    const inserted = await database.db.query<{ id: string }>(
      `insert into transfers (tenant_id, target_id, created_by, mailbox_object_id, message_id, internet_message_id)
       values ($1, $2, $3, gen_random_uuid(), 'AAMk', '<outage@x>') returning id`,
      [ids.tenantA, target?.id, ids.alice],
    );
    const transferId = inserted.rows[0]?.id ?? '';
    const deps = { db: database.db, graphFor: () => unavailableGraph, fetch, now: () => new Date() };
    const job = (retryCount: number) => ({
      id: 'job',
      name: 'transfer',
      data: { tenantId: ids.tenantA, transferId },
      retryCount,
    });
    const stateOf = async () =>
      (
        await database.db.query<{ state: string; failure_reason: string | null; finished_at: Date | null }>(
          'select state, failure_reason, finished_at from transfers where id = $1',
          [transferId],
        )
      ).rows[0];

    await expect(runTransfer(deps, job(0))).rejects.toMatchObject({ code: 'graph_unavailable' });
    expect(await stateOf()).toMatchObject({ state: 'queued', failure_reason: null, finished_at: null });

    await runTransfer(deps, job(TRANSFER_JOB_OPTIONS.retryLimit));
    const failed = await stateOf();
    expect(failed?.state).toBe('failed');
    expect(failed?.failure_reason).toMatch(/busy or unavailable/);
    expect(failed?.finished_at).toBeInstanceOf(Date);

    // A finished transfer is never picked up again.
    await runTransfer(deps, job(0));
    expect((await stateOf())?.state).toBe('failed');
  });
});
