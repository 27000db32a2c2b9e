import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../graph/graph-client.js';
import { tenantGraphFactory } from '../../graph/tenant-graph.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import type { MailPart, MailSource, TransferProgress } from '../connector.js';
import { sharePointConnector } from './sharepoint-connector.js';
import { FRAGMENT_SIZE } from './upload-file.js';

let server: TestServer;
let graph: GraphClient;
let driveId: string;

function part(key: string, name: string, content: Buffer, opened?: string[]): MailPart {
  return {
    key,
    name,
    async open() {
      opened?.push(key);
      return { body: new Blob([content]).stream(), size: content.byteLength };
    },
  };
}

function memoryProgress(): TransferProgress & {
  rows: Map<string, { name: string; size: number; done: boolean }>;
} {
  const rows = new Map<string, { name: string; size: number; done: boolean }>();
  return {
    rows,
    async recorded(key) {
      return rows.get(key);
    },
    async reserve(key, name, size) {
      rows.set(key, { name, size, done: false });
    },
    async done(key, name, size) {
      rows.set(key, { name, size, done: true });
    },
  };
}

async function children(folderPath: string): Promise<Map<string, number>> {
  const encoded = folderPath.split('/').map(encodeURIComponent).join('/');
  const result = new Map<string, number>();
  for await (const item of graph.paginate<{ name: string; size: number }>(
    `/drives/${encodeURIComponent(driveId)}/root:/${encoded}:/children`,
  )) {
    result.set(item.name, item.size);
  }
  return result;
}

beforeAll(async () => {
  server = await startTestServer();
  graph = tenantGraphFactory(server.config)(server.app.emulator.ids.demoTenantId, { profile: 'request' });
  driveId = server.app.emulator.ids.demoDriveId;
});
afterAll(async () => {
  await server?.close();
});

describe('SharePoint connector against the emulator', () => {
  it('validates settings, naming the bad field', () => {
    expect(sharePointConnector.validateSettings({ driveId, folderPath: '/Projects/Alpha/' })).toEqual({
      driveId,
      folderPath: 'Projects/Alpha',
    });
    expect(() => sharePointConnector.validateSettings({ driveId, folderPath: 'a/../b' })).toThrow(
      /settings.folderPath/,
    );
    expect(() => sharePointConnector.validateSettings({ folderPath: 'x' })).toThrow(/settings.driveId/);
    expect(sharePointConnector.describeSettings().map((field) => field.key)).toEqual([
      'driveId',
      'folderPath',
    ]);
  });

  it('tests the connection', async () => {
    expect(
      await sharePointConnector.testConnection({ graph, fetch }, { driveId, folderPath: 'Projects' }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await sharePointConnector.testConnection({ graph, fetch }, { driveId: 'b!nope', folderPath: '' }),
    ).toMatchObject({ ok: false });
  });

  it('creates the folder, uploads small files simply and large ones in sessions, numbering collisions', async () => {
    const large = randomBytes(FRAGMENT_SIZE * 2 + 12_345);
    const mail: MailSource = {
      messageId: 'm',
      internetMessageId: '<m@x>',
      subject: 'Quarterly numbers',
      receivedAt: new Date('2026-02-03T04:05:06Z'),
      parts: [
        part('message', 'message.eml', Buffer.from('From: a\r\n\r\nbody\r\n')),
        part('attachment:1', 'data.bin', large),
        part('attachment:2', 'data.bin', Buffer.from('second file of the same name')),
      ],
    };
    const settings = { driveId, folderPath: 'Connector test/Run 1' };
    const progress = memoryProgress();
    const result = await sharePointConnector.transferMail({ graph, fetch }, settings, mail, progress);
    expect(result.url).toMatch(/Connector%20test\/Run%201$/);
    expect(result.files.map((f) => [f.name, f.size])).toEqual([
      ['2026-02-03 0405 Quarterly numbers.eml', 17],
      ['data.bin', large.byteLength],
      ['data (2).bin', 28],
    ]);
    expect(await children('Connector test/Run 1')).toEqual(
      new Map([
        ['2026-02-03 0405 Quarterly numbers.eml', 17],
        ['data.bin', large.byteLength],
        ['data (2).bin', 28],
      ]),
    );
    const download = await graph.stream(
      `/drives/${encodeURIComponent(driveId)}/root:/Connector%20test/Run%201/data.bin:/content`,
    );
    expect(Buffer.from(await new Response(download.body).arrayBuffer()).equals(large)).toBe(true);
  });

  it('re-runs without duplicates: skips finished parts and adopts a part that landed before a crash', async () => {
    const settings = { driveId, folderPath: 'Connector test/Run 2' };
    const content = Buffer.from('attachment written just before the crash');
    const first: MailSource = {
      messageId: 'm',
      internetMessageId: '<m@x>',
      subject: 'Crash',
      receivedAt: new Date('2026-02-03T04:05:06Z'),
      parts: [part('message', 'm.eml', Buffer.from('mime')), part('attachment:1', 'report.pdf', content)],
    };
    const progress = memoryProgress();
    await sharePointConnector.transferMail({ graph, fetch }, settings, first, progress);
    // Pretend the worker died after the upload of report.pdf but before it was recorded as done.
    const recorded = progress.rows.get('attachment:1');
    if (!recorded) throw new Error('nothing recorded');
    progress.rows.set('attachment:1', { ...recorded, done: false });

    const opened: string[] = [];
    const rerun: MailSource = {
      ...first,
      parts: [
        part('message', 'm.eml', Buffer.from('mime'), opened),
        part('attachment:1', 'report.pdf', content, opened),
      ],
    };
    const result = await sharePointConnector.transferMail({ graph, fetch }, settings, rerun, progress);
    expect(opened).toEqual([]); // nothing was downloaded or uploaded again
    expect(result.files.map((f) => f.name)).toEqual(['2026-02-03 0405 Crash.eml', 'report.pdf']);
    expect([...(await children('Connector test/Run 2')).keys()].sort()).toEqual([
      '2026-02-03 0405 Crash.eml',
      'report.pdf',
    ]);
  });

  it('never fails on a taken name: five numbers, then a short random tag', async () => {
    const settings = { driveId, folderPath: 'Connector test/Scans' };
    const scan = (n: number) => ({
      messageId: `m${n}`,
      internetMessageId: `<m${n}@x>`,
      subject: `Scan ${n}`,
      receivedAt: new Date('2026-02-03T04:05:06Z'),
      parts: [part('attachment:1', 'scan.pdf', Buffer.from(`scan number ${n}`))],
    });
    const names: string[] = [];
    for (let n = 1; n <= 8; n++) {
      const result = await sharePointConnector.transferMail(
        { graph, fetch },
        settings,
        scan(n),
        memoryProgress(),
      );
      names.push(result.files[0]?.name ?? '');
    }
    expect(names.slice(0, 5)).toEqual([
      'scan.pdf',
      'scan (2).pdf',
      'scan (3).pdf',
      'scan (4).pdf',
      'scan (5).pdf',
    ]);
    for (const name of names.slice(5)) expect(name).toMatch(/^scan \([a-z0-9]{6}\)\.pdf$/);
    expect(new Set(names).size).toBe(8);
    expect((await children('Connector test/Scans')).size).toBe(8);
  });

  it('writes below the target into a subfolder under the chosen name, and removes what it wrote', async () => {
    const settings = { driveId, folderPath: 'Connector test/Options' };
    const mail: MailSource = {
      messageId: 'm',
      internetMessageId: '<m@x>',
      subject: 'Ignored for the name',
      receivedAt: new Date('2026-02-03T04:05:06Z'),
      fileName: 'Offer: Müller/2026',
      subfolder: 'Customers/Müller',
      parts: [
        part('message', 'message.eml', Buffer.from('mime')),
        part('attachment:1', 'a.pdf', Buffer.from('a')),
      ],
    };
    const result = await sharePointConnector.transferMail({ graph, fetch }, settings, mail, memoryProgress());
    expect(result.files.map((f) => f.name)).toEqual(['Offer_ Müller_2026.eml', 'a.pdf']);
    expect(result.files.every((f) => typeof f.location === 'string')).toBe(true);
    expect([...(await children('Connector test/Options/Customers/Müller')).keys()].sort()).toEqual([
      'Offer_ Müller_2026.eml',
      'a.pdf',
    ]);
    expect(await sharePointConnector.listFolders?.({ graph, fetch }, settings, 'Customers')).toEqual([
      { name: 'Müller' },
    ]);
    await sharePointConnector.createFolder?.({ graph, fetch }, settings, 'Customers/Schmidt');
    expect(await sharePointConnector.listFolders?.({ graph, fetch }, settings, 'Customers')).toEqual([
      { name: 'Müller' },
      { name: 'Schmidt' },
    ]);

    await sharePointConnector.removeFiles?.({ graph, fetch }, settings, result.files, {
      subfolder: 'Customers/Müller',
    });
    expect((await children('Connector test/Options/Customers/Müller')).size).toBe(0);
    // Gone already: no error.
    await sharePointConnector.removeFiles?.({ graph, fetch }, settings, result.files, {
      subfolder: 'Customers/Müller',
    });

    await expect(
      sharePointConnector.transferMail(
        { graph, fetch },
        settings,
        { ...mail, subfolder: '../Secret' },
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_subfolder' });
  });

  it('finds existing subfolders to link a mail to', async () => {
    const records = await sharePointConnector.findExistingRecords(
      { graph, fetch },
      { driveId, folderPath: 'Projects' },
      { text: 'alp' },
    );
    expect(records.map((r) => r.title)).toEqual(['Alpha']);
  });
});
