import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../graph/graph-client.js';
import { type ApacheWebDav, startApacheWebDav } from '../../test-support/apache-webdav.js';
import type { ConnectorContext, MailPart, MailSource, TransferProgress } from '../connector.js';
import { createConnectorNetwork } from '../kit/guarded-fetch.js';
import { webDavConnector } from './webdav-connector.js';

let apache: ApacheWebDav;
let context: ConnectorContext;

function part(key: string, name: string, content: Buffer): MailPart {
  return { key, name, open: async () => ({ body: new Blob([content]).stream(), size: content.byteLength }) };
}

function memoryProgress(): TransferProgress & {
  rows: Map<string, { name: string; size: number; done: boolean }>;
} {
  const rows = new Map<string, { name: string; size: number; done: boolean }>();
  return {
    rows,
    recorded: async (key) => rows.get(key),
    reserve: async (key, name, size) => void rows.set(key, { name, size, done: false }),
    done: async (key, name, size) => void rows.set(key, { name, size, done: true }),
  };
}

function mailOf(subject: string, parts: MailPart[]): MailSource {
  return {
    messageId: 'm1',
    internetMessageId: '<m1@example.com>',
    subject,
    receivedAt: new Date('2026-03-04T10:20:00Z'),
    parts,
  };
}

beforeAll(async () => {
  apache = await startApacheWebDav();
  // The Apache server is on loopback: reachable only through the test's allow-list, as in demo mode.
  const network = createConnectorNetwork({ allowedOrigins: [apache.origin] });
  context = {
    graph: {} as GraphClient,
    fetch: network.fetch,
    credential: { username: apache.username, password: apache.password },
  };
}, 30_000);
afterAll(async () => {
  await apache?.stop();
});

describe('WebDAV connector against Apache httpd with mod_dav', () => {
  const settings = () =>
    webDavConnector.validateSettings({ url: apache.davUrl, folderPath: 'Mail/Projects' });

  it('creates the folders and streams the mail and its attachments, byte-identical', async () => {
    const mime = Buffer.from('From: a@example.com\r\nSubject: Offer\r\n\r\nHello\r\n');
    const pdf = randomBytes(300_000);
    const result = await webDavConnector.transferMail(
      context,
      settings(),
      mailOf('Offer', [part('message', '', mime), part('att-1', 'quote.pdf', pdf)]),
      memoryProgress(),
    );
    expect(result.url).toBe(`${apache.davUrl}Mail/Projects/`);
    const folder = join(apache.root, 'Mail', 'Projects');
    expect(readdirSync(folder).sort()).toEqual(['2026-03-04 1020 Offer.eml', 'quote.pdf']);
    expect(readFileSync(join(folder, 'quote.pdf')).equals(pdf)).toBe(true);
    // And over WebDAV, as a user would read it back.
    const back = await fetch(`${apache.davUrl}Mail/Projects/quote.pdf`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${apache.username}:${apache.password}`).toString('base64')}`,
      },
    });
    expect(Buffer.from(await back.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('never overwrites: a taken name leads to the next numbered one (If-None-Match: *)', async () => {
    const first = readFileSync(join(apache.root, 'Mail', 'Projects', 'quote.pdf'));
    const other = randomBytes(1000);
    const result = await webDavConnector.transferMail(
      context,
      settings(),
      mailOf('Offer', [part('att-1', 'quote.pdf', other)]),
      memoryProgress(),
    );
    expect(result.files.map((file) => file.name)).toEqual(['quote (2).pdf']);
    const folder = join(apache.root, 'Mail', 'Projects');
    expect(readFileSync(join(folder, 'quote.pdf')).equals(first)).toBe(true);
    expect(readFileSync(join(folder, 'quote (2).pdf')).equals(other)).toBe(true);
  });

  it('re-runs without duplicates: adopts a part that landed before a crash', async () => {
    const content = randomBytes(2000);
    const crashed = memoryProgress();
    const once = await webDavConnector.transferMail(
      context,
      webDavConnector.validateSettings({ url: apache.davUrl, folderPath: 'Rerun' }),
      mailOf('Rerun', [part('att-1', 'data.bin', content)]),
      crashed,
    );
    // The crash came between the upload and the bookkeeping: the part is only reserved.
    crashed.rows.set('att-1', { name: 'data.bin', size: content.byteLength, done: false });
    const again = await webDavConnector.transferMail(
      context,
      webDavConnector.validateSettings({ url: apache.davUrl, folderPath: 'Rerun' }),
      mailOf('Rerun', [part('att-1', 'data.bin', content)]),
      crashed,
    );
    expect(again.files).toEqual(once.files);
    expect(readdirSync(join(apache.root, 'Rerun'))).toEqual(['data.bin']);
  });

  it('classifies failures: 401 reconnect, 403 denied, 413 too large, 409 missing parent', async () => {
    const one = (name: string, size = 10) => mailOf('x', [part('att', name, randomBytes(size))]);
    await expect(
      webDavConnector.transferMail(
        { ...context, credential: { username: apache.username, password: 'wrong' } },
        settings(),
        one('a.bin'),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 401, code: 'target_credentials_rejected' });
    await expect(
      webDavConnector.transferMail(
        { ...context, credential: undefined },
        settings(),
        one('a.bin'),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ code: 'target_account_not_connected' });
    await expect(
      webDavConnector.transferMail(
        context,
        webDavConnector.validateSettings({ url: `${apache.davUrl}readonly/`, folderPath: '' }),
        one('a.bin'),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 403, code: 'target_access_denied' });
    await expect(
      webDavConnector.transferMail(
        context,
        webDavConnector.validateSettings({ url: `${apache.davUrl}small/`, folderPath: '' }),
        one('big.bin', 5000),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 413, code: 'target_file_too_large' });
    await expect(
      webDavConnector.transferMail(
        context,
        webDavConnector.validateSettings({ url: `${apache.davUrl}missing/`, folderPath: 'A' }),
        one('a.bin'),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'target_conflict' });
    expect(existsSync(join(apache.root, 'readonly', 'a.bin'))).toBe(false);
  });

  it('tests the connection with the account (PROPFIND)', async () => {
    expect(await webDavConnector.testConnection(context, settings())).toMatchObject({ ok: true });
    expect(
      await webDavConnector.testConnection(
        { ...context, credential: { username: apache.username, password: 'wrong' } },
        settings(),
      ),
    ).toEqual({ ok: false, message: 'The user name or password was rejected.' });
  });

  it('in production (no allow-list) refuses the loopback server and writes nothing', async () => {
    const production = createConnectorNetwork({ allowedOrigins: [] });
    await expect(
      webDavConnector.transferMail(
        { ...context, fetch: production.fetch },
        webDavConnector.validateSettings({ url: apache.davUrl, folderPath: 'Refused' }),
        mailOf('x', [part('att', 'a.bin', randomBytes(10))]),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 400, code: 'target_address_refused' });
    expect(existsSync(join(apache.root, 'Refused'))).toBe(false);
  });

  it('checks its settings: a URL with credentials or another scheme is refused, naming the field', () => {
    expect(() => webDavConnector.validateSettings({ url: 'ftp://example.com/' })).toThrow(/settings\.url/);
    expect(() => webDavConnector.validateSettings({ url: 'https://bob:pw@example.com/' })).toThrow(
      /settings\.url: must not contain a user name/,
    );
  });
});
