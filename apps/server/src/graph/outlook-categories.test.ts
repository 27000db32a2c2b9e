import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import type { GraphClient } from './graph-client.js';
import {
  changeMessageCategories,
  ensureMasterCategory,
  findMessageCopies,
  mergeCategories,
  readMessageCopy,
} from './outlook-categories.js';
import { tenantGraphFactory } from './tenant-graph.js';

let server: TestServer;
let graph: GraphClient;
const ANNA = 'anna.berger@contoso.example';
const JONAS = 'jonas.weber@contoso.example';

async function masterList(mailbox: string): Promise<Array<{ displayName: string; color: string }>> {
  return (
    await graph.json<{ value: Array<{ displayName: string; color: string }> }>({
      path: `/users/${mailbox}/outlook/masterCategories`,
    })
  ).value;
}

async function someMessage(mailbox: string): Promise<{ id: string; internetMessageId: string }> {
  const page = await graph.json<{ value: Array<{ id: string; internetMessageId: string }> }>({
    path: `/users/${mailbox}/messages?$top=3&$select=id,internetMessageId`,
  });
  const message = page.value[2];
  if (!message) throw new Error('no message');
  return message;
}

beforeAll(async () => {
  server = await startTestServer();
  graph = tenantGraphFactory(server.config)(server.app.emulator.ids.demoTenantId, { profile: 'request' });
});
afterAll(async () => {
  await server?.close();
});

describe('master categories', () => {
  it('creates a category once, with its colour, and recolours rather than duplicating', async () => {
    const first = await ensureMasterCategory(graph, ANNA, { displayName: 'Team: Urgent', color: 'preset0' });
    expect(first.outcome).toBe('created');
    const again = await ensureMasterCategory(graph, ANNA, { displayName: 'team: urgent', color: 'preset0' });
    expect(again.outcome).toBe('unchanged');
    const recoloured = await ensureMasterCategory(graph, ANNA, {
      displayName: 'Team: Urgent',
      color: 'preset7',
    });
    expect(recoloured.outcome).toBe('recoloured');
    const named = (await masterList(ANNA)).filter((c) => c.displayName.toLowerCase() === 'team: urgent');
    expect(named).toEqual([expect.objectContaining({ displayName: 'Team: Urgent', color: 'preset7' })]);
  });

  it('treats a category created by someone else at the same time as existing (409)', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureMasterCategory(graph, JONAS, { displayName: 'Race', color: 'preset4' })),
    );
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect((await masterList(JONAS)).filter((c) => c.displayName === 'Race')).toHaveLength(1);
  });
});

describe('message categories', () => {
  it("finds a mailbox's copy by internetMessageId and narrows it by the caller's fingerprint", async () => {
    const target = await someMessage(JONAS);
    const copies = await findMessageCopies(graph, JONAS, target.internetMessageId);
    expect(copies.map((c) => c.id)).toEqual([target.id]);
    expect(copies[0]?.fromAddress).toMatch(/@/);
    const none = await findMessageCopies(graph, JONAS, target.internetMessageId, () => false);
    expect(none).toEqual([]);
    expect(await findMessageCopies(graph, JONAS, "<no-such-id-with-'quote'@example.org>")).toEqual([]);
  });

  it("adds and removes the team's names without touching the user's own categories", async () => {
    const target = await someMessage(ANNA);
    await graph.request({
      method: 'PATCH',
      path: `/users/${ANNA}/messages/${target.id}`,
      body: { categories: ['Private', 'Old team name'] },
    });
    const after = await changeMessageCategories(graph, ANNA, target.id, {
      add: ['Urgent', 'private'],
      remove: ['old TEAM name'],
    });
    expect(after).toEqual(['Private', 'Urgent']);
    expect((await readMessageCopy(graph, ANNA, target.id))?.categories).toEqual(['Private', 'Urgent']);
    const gone = await changeMessageCategories(graph, ANNA, 'AAAAnot-a-real-id', { add: ['x'] });
    expect(gone).toBeUndefined();
  });

  it('writes nothing when nothing changes (no change notification echoes back)', async () => {
    expect(mergeCategories(['A', 'B'], { add: ['b'], remove: ['c'] })).toEqual(['A', 'B']);
    const target = await someMessage(ANNA);
    const before = await graph.json<{ changeKey: string }>({ path: `/users/${ANNA}/messages/${target.id}` });
    const current = (await readMessageCopy(graph, ANNA, target.id))?.categories ?? [];
    await changeMessageCategories(graph, ANNA, target.id, { add: current });
    const after = await graph.json<{ changeKey: string }>({ path: `/users/${ANNA}/messages/${target.id}` });
    expect(after.changeKey).toBe(before.changeKey);
  });
});
