import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAGMENT_SIZE } from '../connectors/sharepoint/upload-file.js';
import { makeRetriesDueNow } from '../test-support/job-queue-state.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { TRANSFER_QUEUE } from './transfer-queue.js';
import {
  accessTokenFor,
  apiClient,
  demoGraph,
  findMail,
  folderChildren,
  seedTargets,
  waitForTransfer,
} from './transfer-test-helpers.js';

/** Matches only the `n`-th upload-fragment PUT from now on, so the crash lands mid-session. */
class NthUploadFragment extends RegExp {
  private seen = 0;
  constructor(private readonly n: number) {
    super('/emulator/sharepoint/upload-sessions/');
  }
  override test(path: string): boolean {
    if (!super.test(path)) return false;
    this.seen += 1;
    return this.seen === this.n;
  }
}

const SUBJECT = 'Measurement data 2026 (large file)';

let database: TestDatabase;
let dataDir: string;
let first: TestServer | undefined;
let second: TestServer | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-crash-'));
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a transfer interrupted by a crash', () => {
  it('finishes after a restart on the same database and data, without a duplicate file', async () => {
    // A crash does not wait for the upload in flight: the shortest grace the server allows.
    first = await startTestServer({ database, dataDir, env: { SHUTDOWN_GRACE_SECONDS: '1' } });
    const targets = await seedTargets(first);
    const token = await accessTokenFor(
      first,
      first.app.emulator.ids.demoTenantId,
      first.app.emulator.ids.demoUserUpn,
    );
    const mail = await findMail(first, SUBJECT);
    const mime = await demoGraph(first).stream(
      `/users/${first.app.emulator.ids.demoUserOid}/messages/${mail.id}/$value`,
    );
    await mime.body.cancel();
    const emlFragments = Math.ceil((mime.size ?? 0) / FRAGMENT_SIZE);
    expect(emlFragments).toBeGreaterThan(1);

    // The second fragment of the attachment (the .eml comes first) hangs the worker for a while:
    // long enough to "kill" the server in the middle of that upload session.
    first.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: new NthUploadFragment(emlFragments + 2),
      status: 503,
      retryAfterSeconds: 20,
      times: 1,
    });
    const created = await apiClient(first)<{ transfer: Transfer }>(token, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.alpha,
    });
    expect(created.status).toBe(202);
    const transferId = created.body.transfer.id;
    const server = first;
    await expect.poll(() => server.app.emulator.faults.pending(), { timeout: 60_000 }).toBe(0);
    const midway = await database.db.query<{ part_key: string; done: boolean }>(
      'select part_key, done from transfer_files where transfer_id = $1 order by position',
      [transferId],
    );
    expect(
      midway.rows.map((row) => [row.part_key === 'message' ? 'message' : 'attachment', row.done]),
    ).toEqual([
      ['message', true],
      ['attachment', false],
    ]);

    // The crash: the server goes away mid-upload; the attempt is abandoned, nothing is tidied up.
    await first.close();
    first = undefined;
    // The abandoned attempt goes back to the queue for a retry after a 5–10 s back-off (on PostgreSQL
    // the queue records that a moment after the close); make that retry due now rather than sleep.
    await expect.poll(() => makeRetriesDueNow(database.db, TRANSFER_QUEUE), { timeout: 30_000 }).toBe(1);

    second = await startTestServer({ database, dataDir });
    const token2 = await accessTokenFor(
      second,
      second.app.emulator.ids.demoTenantId,
      second.app.emulator.ids.demoUserUpn,
    );
    const done = await waitForTransfer(second, token2, transferId, 90_000);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    expect(done.files.map((f) => f.name)).toEqual([
      '2026-11-09 1020 Measurement data 2026 (large file).eml',
      'measurements-2026.csv',
    ]);
    const inFolder = (await folderChildren(second, 'Projects/Alpha')).map((f) => f.name);
    expect(inFolder.filter((name) => name.startsWith('2026-11-09 1020 Measurement data'))).toHaveLength(1);
    expect(inFolder.filter((name) => name.startsWith('measurements-2026'))).toHaveLength(1);
  }, 180_000);
});
