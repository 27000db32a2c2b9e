import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  findMail,
  folderChildren,
  seedTargets,
  waitForTransfer,
} from './transfer-test-helpers.js';

let server: TestServer;
let api: ReturnType<typeof apiClient>;
let anna: string;
let targets: { contracts: string; alpha: string };

const OFFER = 'Offer 2026-117 for Northwind with price list';

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server);
  targets = await seedTargets(server);
  anna = await accessTokenFor(
    server,
    server.app.emulator.ids.demoTenantId,
    server.app.emulator.ids.demoUserUpn,
  );
});

afterAll(async () => {
  await server?.close();
});

describe('transfer as filing tools do it', () => {
  it('leaves nothing behind when a transfer fails for good half-way', async () => {
    const mail = await findMail(server, OFFER);
    // The .eml and the PDF land, then the library refuses the price list for good.
    server.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: /price-list\.csv/,
      status: 403,
      times: 1,
    });
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.alpha,
    });
    const failed = await waitForTransfer(server, anna, created.body.transfer.id);
    server.app.emulator.faults.clear();
    expect(failed.state).toBe('failed');
    expect(failed.failureReason).toMatch(/not allowed/);
    expect(failed.files).toEqual([]);
    expect(await folderChildren(server, 'Projects/Alpha')).not.toContainEqual(
      expect.objectContaining({ name: 'Offer-2026-117.pdf' }),
    );
    expect((await folderChildren(server, 'Projects/Alpha')).map((f) => f.name)).not.toContain(
      '2026-11-06 1505 Offer 2026-117 for Northwind with price list.eml',
    );
  });
});
