import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import { clientCredentialsWithEmulator, signInWithEmulator } from '../emulator-sign-in.js';
import { DEMO_SECOND_USER_UPN, DEMO_USER_UPN } from '../seed/directory-seed.js';
import { DEMO_DRIVE_FOLDERS, DEMO_DRIVE_ID, SECOND_DRIVE_ID } from '../seed/drive-seed.js';
import { DEMO_TENANT_ID } from '../seed/tenant-ids.js';
import { QuickXorHash } from './quick-xor-hash.js';

interface DriveItem {
  id: string;
  name: string;
  size: number;
  folder?: { childCount: number };
  file?: { mimeType: string; hashes: { quickXorHash: string } };
  parentReference: { driveId: string; id?: string; path?: string };
  '@microsoft.graph.downloadUrl'?: string;
}

let server: TestEmulatorServer;
let graph: string;
let appToken: string;
let drive: string;

beforeAll(async () => {
  server = await startEmulatorServer();
  graph = `${server.baseUrl}/emulator/graph/v1.0`;
  drive = `${graph}/drives/${DEMO_DRIVE_ID}`;
  appToken = (
    await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId: server.config.entra.clientId,
      clientSecret: server.config.entra.clientSecret,
    })
  ).accessToken;
});
afterAll(async () => server?.close());

const bearer = () => ({ authorization: `Bearer ${appToken}` });
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/** Deterministic pseudo-random bytes, so a mismatch is never hidden by repeating content. */
function bytesOf(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length + 4);
  let state = seed;
  for (let i = 0; i < length; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.writeUInt32LE(state, i);
  }
  return out.subarray(0, length);
}

/**
 * Starts a second emulator on this one's data directory, as a restart would, and hands `use` its
 * demo drive's URL and an app token's headers; the second emulator is closed afterwards.
 */
async function afterRestart(
  use: (restartedDrive: string, headers: Record<string, string>) => Promise<void>,
): Promise<void> {
  const restarted = await startEmulatorServer({ dataDir: server.dataDir });
  try {
    const token = await clientCredentialsWithEmulator({
      baseUrl: restarted.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId: restarted.config.entra.clientId,
      clientSecret: restarted.config.entra.clientSecret,
    });
    await use(`${restarted.baseUrl}/emulator/graph/v1.0/drives/${DEMO_DRIVE_ID}`, {
      authorization: `Bearer ${token.accessToken}`,
    });
  } finally {
    await restarted.close();
  }
}

async function download(item: DriveItem): Promise<Buffer> {
  const response = await fetch(`${drive}/items/${item.id}/content`, { headers: bearer() });
  expect(response.status).toBe(200);
  expect(response.redirected).toBe(true);
  return Buffer.from(await response.arrayBuffer());
}

describe('emulator Graph: drives', () => {
  it('serves the seeded library by id, root children and path', async () => {
    const meta = await json<{ id: string; driveType: string }>(await fetch(drive, { headers: bearer() }));
    expect(meta).toMatchObject({ id: DEMO_DRIVE_ID, driveType: 'documentLibrary' });
    const children = await json<{ value: DriveItem[] }>(
      await fetch(`${drive}/root/children`, { headers: bearer() }),
    );
    expect(children.value.map((c) => c.name)).toEqual(
      expect.arrayContaining([DEMO_DRIVE_FOLDERS.contracts, 'Projects']),
    );
    const alpha = await json<DriveItem>(
      await fetch(`${drive}/root:/${encodePath(DEMO_DRIVE_FOLDERS.projectAlpha)}:`, { headers: bearer() }),
    );
    expect(alpha.folder).toBeDefined();
    expect(alpha.parentReference.path).toBe(`/drives/${DEMO_DRIVE_ID}/root:/Projects`);
    const inside = await json<{ value: DriveItem[] }>(
      await fetch(`${drive}/root:/${encodePath(DEMO_DRIVE_FOLDERS.projectAlpha)}:/children`, {
        headers: bearer(),
      }),
    );
    expect(inside.value.map((c) => c.name)).toEqual(['Rollout plan.txt']);
    const site = await json<{ id: string }>(await fetch(`${graph}/sites/root/drive`, { headers: bearer() }));
    expect(site.id).toBe(DEMO_DRIVE_ID);
  });

  it('creates folders with conflict behaviour fail (409) and rename', async () => {
    const create = (behavior: string) =>
      fetch(`${drive}/root:/${encodePath(DEMO_DRIVE_FOLDERS.contracts)}:/children`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Northwind',
          folder: {},
          '@microsoft.graph.conflictBehavior': behavior,
        }),
      });
    expect((await create('fail')).status).toBe(201);
    const conflict = await create('fail');
    expect(conflict.status).toBe(409);
    expect((await json<{ error: { code: string } }>(conflict)).error.code).toBe('nameAlreadyExists');
    const renamed = await create('rename');
    expect(renamed.status).toBe(201);
    expect((await json<DriveItem>(renamed)).name).toBe('Northwind 1');
  });

  it('finds names regardless of case, and frees the name of a deleted folder and of its contents', async () => {
    const createFolder = (name: string) =>
      fetch(`${drive}/root/children`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({ name, folder: {}, '@microsoft.graph.conflictBehavior': 'fail' }),
      });
    const first = await createFolder('Archive 2026');
    expect(first.status).toBe(201);
    const folder = await json<DriveItem>(first);
    const note = await fetch(
      `${drive}/items/${folder.id}:/note.txt:/content?@microsoft.graph.conflictBehavior=fail`,
      {
        method: 'PUT',
        headers: { ...bearer(), 'content-type': 'text/plain' },
        body: 'kept until the folder goes',
      },
    );
    expect(note.status).toBe(201);
    expect((await createFolder('ARCHIVE 2026')).status).toBe(409);
    expect((await fetch(`${drive}/root:/archive 2026/NOTE.TXT:`, { headers: bearer() })).status).toBe(200);

    const deleted = await fetch(`${drive}/items/${folder.id}`, { method: 'DELETE', headers: bearer() });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${drive}/root:/Archive 2026/note.txt:`, { headers: bearer() })).status).toBe(404);
    const again = await createFolder('archive 2026');
    expect(again.status).toBe(201);
    const children = await json<{ value: DriveItem[] }>(
      await fetch(`${drive}/items/${(await json<DriveItem>(again)).id}/children`, { headers: bearer() }),
    );
    expect(children.value).toEqual([]);
  });

  it('keeps every one of many changes made at once across a restart', async () => {
    const names = Array.from({ length: 60 }, (_, index) => `Batch folder ${index}`);
    const created = await Promise.all(
      names.map((name) =>
        fetch(`${drive}/root/children`, {
          method: 'POST',
          headers: { ...bearer(), 'content-type': 'application/json' },
          body: JSON.stringify({ name, folder: {}, '@microsoft.graph.conflictBehavior': 'fail' }),
        }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(names.map(() => 201));

    await afterRestart(async (restartedDrive, headers) => {
      const listed = await json<{ value: DriveItem[] }>(
        await fetch(`${restartedDrive}/root/children?$top=999`, { headers }),
      );
      expect(listed.value.map((item) => item.name)).toEqual(expect.arrayContaining(names));
    });
  });

  it('accepts simple uploads up to 4 MB and refuses larger ones with 413', async () => {
    const content = Buffer.from('Grüße aus dem Emulator\r\n', 'utf8');
    const put = await fetch(`${drive}/root:/${encodePath('Contracts 2026/Grüße #1.txt')}:/content`, {
      method: 'PUT',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      body: content,
    });
    expect(put.status).toBe(201);
    const item = await json<DriveItem>(put);
    expect(item.name).toBe('Grüße #1.txt');
    expect((await download(item)).equals(content)).toBe(true);
    const tooLarge = await fetch(`${drive}/root:/big.bin:/content`, {
      method: 'PUT',
      headers: { ...bearer(), 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(4 * 1024 * 1024 + 1),
    });
    expect(tooLarge.status).toBe(413);
  });

  // Restarting a whole server inside the test takes a while on a busy machine.
  it('uploads ~12 MB through an upload session in ranges and reads it back byte for byte', {
    timeout: 180_000,
  }, async () => {
    const content = bytesOf(12 * 1024 * 1024 + 12345, 42);
    const created = await fetch(
      `${drive}/root:/${encodePath('Projects/Alpha/measurements.bin')}:/createUploadSession`,
      {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }),
      },
    );
    expect(created.status).toBe(200);
    const session = await json<{ uploadUrl: string; nextExpectedRanges: string[] }>(created);
    expect(session.uploadUrl.startsWith(server.baseUrl)).toBe(true);

    const badRange = await fetch(session.uploadUrl, {
      method: 'PUT',
      headers: { 'content-range': `bytes 327680-655359/${content.length}` },
      body: content.subarray(327680, 655360),
    });
    expect(badRange.status).toBe(416);

    server.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: /upload-sessions/,
      status: 503,
      retryAfterSeconds: 1,
      times: 1,
    });
    const fragment = 10 * 327680;
    let last: Response | undefined;
    for (let start = 0; start < content.length; start += fragment) {
      const end = Math.min(start + fragment, content.length) - 1;
      const send = () =>
        fetch(session.uploadUrl, {
          method: 'PUT',
          headers: { 'content-range': `bytes ${start}-${end}/${content.length}` },
          body: content.subarray(start, end + 1),
        });
      last = await send();
      if (last.status === 503) {
        expect(last.headers.get('retry-after')).toBe('1');
        last = await send();
      }
      if (end + 1 < content.length) {
        expect(last.status).toBe(202);
        expect((await json<{ nextExpectedRanges: string[] }>(last)).nextExpectedRanges[0]).toBe(
          `${end + 1}-${content.length - 1}`,
        );
      }
    }
    expect(last?.status).toBe(201);
    const item = await json<DriveItem>(last as Response);
    expect(item.size).toBe(content.length);
    const hash = new QuickXorHash();
    hash.update(content);
    expect(item.file?.hashes.quickXorHash).toBe(hash.digest());
    const back = await download(item);
    expect(createHash('sha256').update(back).digest('hex')).toBe(
      createHash('sha256').update(content).digest('hex'),
    );

    const again = await fetch(
      `${drive}/root:/${encodePath('Projects/Alpha/measurements.bin')}:/createUploadSession`,
      {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }),
      },
    );
    expect(again.status).toBe(409);

    await afterRestart(async (restartedDrive, headers) => {
      const persisted = await fetch(
        `${restartedDrive}/root:/${encodePath('Projects/Alpha/measurements.bin')}:/content`,
        { headers },
      );
      expect(Buffer.from(await persisted.arrayBuffer()).equals(content)).toBe(true);
    });
  });

  it('lets only one of two concurrent uploads of one name commit when conflicts fail, as Graph does', async () => {
    const name = `Projects/Alpha/race-${Date.now()}.bin`;
    const sessions = await Promise.all(
      [1, 2].map(async () => {
        const created = await fetch(`${drive}/root:/${encodePath(name)}:/createUploadSession`, {
          method: 'POST',
          headers: { ...bearer(), 'content-type': 'application/json' },
          body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }),
        });
        expect(created.status).toBe(200);
        return json<{ uploadUrl: string }>(created);
      }),
    );
    const content = bytesOf(300_000, 7);
    const commits = await Promise.all(
      sessions.map((session) =>
        fetch(session.uploadUrl, {
          method: 'PUT',
          headers: { 'content-range': `bytes 0-${content.length - 1}/${content.length}` },
          body: content,
        }),
      ),
    );
    expect(commits.map((commit) => commit.status).sort()).toEqual([201, 409]);
    const folder = await json<{ value: DriveItem[] }>(
      await fetch(`${drive}/root:/${encodePath('Projects/Alpha')}:/children?$top=200`, { headers: bearer() }),
    );
    expect(folder.value.filter((item) => `Projects/Alpha/${item.name}` === name)).toHaveLength(1);
  });

  it('gives every user a OneDrive of their own (created on first use)', async () => {
    const clientId = server.config.entra.clientId;
    const anna = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: 'Files.ReadWrite.All',
      clientId,
    });
    const jonas = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_SECOND_USER_UPN,
      scope: 'Files.ReadWrite.All',
      clientId,
    });
    const annaAuth = { authorization: `Bearer ${anna.accessToken}` };
    const me = await json<{ id: string; driveType: string }>(
      await fetch(`${graph}/me/drive`, { headers: annaAuth }),
    );
    expect(me.driveType).toBe('business');
    const put = await fetch(`${graph}/me/drive/root:/Notes/todo.txt:/content`, {
      method: 'PUT',
      headers: annaAuth,
      body: 'x',
    });
    expect(put.status).toBe(404);
    const folder = await fetch(`${graph}/me/drive/root/children`, {
      method: 'POST',
      headers: { ...annaAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Notes', folder: {} }),
    });
    expect(folder.status).toBe(201);
    expect(
      (
        await fetch(`${graph}/me/drive/root:/Notes/todo.txt:/content`, {
          method: 'PUT',
          headers: annaAuth,
          body: 'x',
        })
      ).status,
    ).toBe(201);
    const byApp = await json<{ value: DriveItem[] }>(
      await fetch(`${graph}/users/${DEMO_USER_UPN}/drive/root:/Notes:/children`, { headers: bearer() }),
    );
    expect(byApp.value.map((i) => i.name)).toEqual(['todo.txt']);
    const byId = await fetch(`${graph}/drives/${me.id}/root:/Notes/todo.txt:/content`, { headers: annaAuth });
    expect(await byId.text()).toBe('x');
    const denied = await fetch(`${graph}/drives/${me.id}/root/children`, {
      headers: { authorization: `Bearer ${jonas.accessToken}` },
    });
    expect(denied.status).toBe(403);
  });

  it('refuses an Authorization header on the upload URL and keeps tenants apart', async () => {
    const created = await json<{ uploadUrl: string }>(
      await fetch(`${drive}/root:/auth-test.txt:/createUploadSession`, { method: 'POST', headers: bearer() }),
    );
    const withAuth = await fetch(created.uploadUrl, {
      method: 'PUT',
      headers: { ...bearer(), 'content-range': 'bytes 0-1/2' },
      body: Buffer.from('ok'),
    });
    expect(withAuth.status).toBe(401);
    const foreign = await fetch(`${graph}/drives/${SECOND_DRIVE_ID}/root/children`, { headers: bearer() });
    expect(foreign.status).toBe(404);
    const clientId = server.config.entra.clientId;
    const readOnly = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: 'User.Read',
      clientId,
    });
    const denied = await fetch(`${drive}/root/children`, {
      headers: { authorization: `Bearer ${readOnly.accessToken}` },
    });
    expect(denied.status).toBe(403);
    expect((await json<{ error: { code: string } }>(denied)).error.code).toBe('accessDenied');
  });
});
