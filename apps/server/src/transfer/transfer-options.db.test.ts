import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PrepareTransferResponse, TargetSuggestions, Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  findMail,
  folderChildren,
  type MailRef,
  seedTargets,
  waitForTransfer,
} from './transfer-test-helpers.js';

let server: TestServer;
let importDir: string;
let api: ReturnType<typeof apiClient>;
let anna: string;
let targets: { contracts: string; alpha: string };

const OFFER = 'Offer 2026-117 for Northwind with price list';
const FOUR = 'Four attachments for the Müller file';

function mail(subject: string, messageId: string, extra: string[] = []): string {
  return [
    'From: Clara Shared <clara@shared-ids.example>',
    'To: Anna Berger <anna.berger@contoso.example>',
    `Subject: ${subject}`,
    'Date: Mon, 16 Nov 2026 09:00:00 +0000',
    `Message-ID: ${messageId}`,
    ...extra,
    '',
    'Body.',
    '',
  ].join('\r\n');
}

function fourAttachments(): string {
  const part = (name: string, type: string, inline = false) =>
    [
      '--four',
      `Content-Type: ${type}; name="${name}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: ${inline ? 'inline' : 'attachment'}; filename="${name}"`,
      ...(inline ? [`Content-ID: <${name}>`] : []),
      '',
      Buffer.from(`content of ${name}`).toString('base64'),
    ].join('\r\n');
  return [
    'From: Max Müller <max@mueller.example>',
    'To: Anna Berger <anna.berger@contoso.example>',
    `Subject: ${FOUR}`,
    'Date: Tue, 17 Nov 2026 10:30:00 +0000',
    'Message-ID: <four@mueller.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="four"',
    '',
    '--four',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Four files, one of them the logo.</p>',
    part('contract.pdf', 'application/pdf'),
    part('notes.txt', 'text/plain'),
    part('budget.csv', 'text/csv'),
    part('logo.png', 'image/png', true),
    '--four--',
    '',
  ].join('\r\n');
}

async function prepare(target: string, ref: MailRef) {
  const query = new URLSearchParams({
    messageId: ref.id,
    internetMessageId: ref.internetMessageId,
    targetId: target,
  });
  return api<PrepareTransferResponse>(anna, 'GET', `/api/transfers/prepare?${query}`);
}

async function send(target: string, ref: MailRef, choices: Record<string, unknown> = {}) {
  return api<{ transfer: Transfer; skipped?: boolean }>(anna, 'POST', '/api/transfers', {
    messageId: ref.id,
    internetMessageId: ref.internetMessageId,
    targetId: target,
    ...choices,
  });
}

beforeAll(async () => {
  importDir = await mkdtemp(path.join(tmpdir(), 'mailissa-options-'));
  await writeFile(path.join(importDir, 'four.eml'), fourAttachments());
  // Two different mails sharing one Message-ID, as public corpora hold them.
  await writeFile(
    path.join(importDir, 'shared-1.eml'),
    mail('Shared id, first mail', '<same@shared-ids.example>'),
  );
  await writeFile(
    path.join(importDir, 'shared-2.eml'),
    mail('Shared id, second mail', '<same@shared-ids.example>'),
  );
  server = await startTestServer({ env: { EMULATOR_IMPORT_DIR: importDir } });
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
  await rm(importDir, { recursive: true, force: true });
});

describe('transfer as filing tools do it', () => {
  it('leaves nothing behind when a transfer fails for good half-way', async () => {
    const ref = await findMail(server, OFFER);
    // The .eml and the PDF land, then the library refuses the price list for good.
    server.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: /price-list\.csv/,
      status: 403,
      times: 1,
    });
    const created = await send(targets.alpha, ref);
    const failed = await waitForTransfer(server, anna, created.body.transfer.id);
    server.app.emulator.faults.clear();
    expect(failed.state).toBe('failed');
    expect(failed.failureReason).toMatch(/not allowed/);
    expect(failed.files).toEqual([]);
    const names = (await folderChildren(server, 'Projects/Alpha')).map((f) => f.name);
    expect(names).not.toContain('Offer-2026-117.pdf');
    expect(names).not.toContain('2026-11-06 1505 Offer 2026-117 for Northwind with price list.eml');
  });

  it('offers the attachments (inline images off), the templated name and folders; sends exactly the choice', async () => {
    const ref = await findMail(server, FOUR);
    const prepared = await prepare(targets.contracts, ref);
    expect(prepared.status).toBe(200);
    expect(prepared.body.fileName).toBe('2026-11-17 1030 Four attachments for the Müller file');
    expect(prepared.body.folders).toBe(true);
    expect(prepared.body.duplicates).toEqual([]);
    expect(prepared.body.attachments.map((a) => [a.name, a.selected])).toEqual([
      ['contract.pdf', true],
      ['notes.txt', true],
      ['budget.csv', true],
      ['logo.png', false],
    ]);
    const chosen = prepared.body.attachments.filter((a) => ['contract.pdf', 'logo.png'].includes(a.name));

    const created = await send(targets.contracts, ref, {
      attachmentIds: chosen.map((a) => a.id),
      fileName: 'Müller contract mail',
      subfolder: 'Customers/Müller',
    });
    expect(created.status).toBe(202);
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.state).toBe('done');
    expect(done.files.map((f) => f.name)).toEqual(['Müller contract mail.eml', 'contract.pdf', 'logo.png']);
    expect(done.progress).toEqual({ bytesDone: expect.any(Number), bytesTotal: done.progress?.bytesDone });
    expect(
      (await folderChildren(server, 'Contracts 2026/Customers/Müller')).map((f) => f.name).sort(),
    ).toEqual(['Müller contract mail.eml', 'contract.pdf', 'logo.png']);

    const folders = await api<{ folders: { name: string }[] }>(
      anna,
      'GET',
      `/api/targets/${targets.contracts}/folders?path=Customers`,
    );
    expect(folders.body.folders).toEqual([{ name: 'Müller' }]);
    const createdFolder = await api<{ folders: { name: string }[] }>(
      anna,
      'POST',
      `/api/targets/${targets.contracts}/folders`,
      { path: 'Customers/Schmidt' },
    );
    expect(createdFolder.status).toBe(201);
    expect(createdFolder.body.folders).toEqual([{ name: 'Müller' }, { name: 'Schmidt' }]);
    const traversal = await send(targets.contracts, ref, { subfolder: '../outside' });
    expect(traversal.status).toBe(400);
  });

  it('asks on a duplicate; replace leaves one copy, remembered; skip writes nothing', async () => {
    const ref = await findMail(server, FOUR);
    const before = await prepare(targets.contracts, ref);
    expect(before.body.duplicates).toHaveLength(1);
    expect(before.body.duplicates[0]).toMatchObject({
      isYou: true,
      files: expect.arrayContaining(['contract.pdf']),
    });
    expect(before.body.rememberedChoice).toBeNull();

    const replaced = await send(targets.contracts, ref, {
      attachmentIds: before.body.attachments.filter((a) => a.name === 'contract.pdf').map((a) => a.id),
      fileName: 'Müller contract mail',
      subfolder: 'Customers/Müller',
      onDuplicate: 'replace',
      rememberChoice: true,
    });
    const done = await waitForTransfer(server, anna, replaced.body.transfer.id);
    expect(done.files.map((f) => f.name)).toEqual(['Müller contract mail.eml', 'contract.pdf']);
    expect(
      (await folderChildren(server, 'Contracts 2026/Customers/Müller')).map((f) => f.name).sort(),
    ).toEqual(['Müller contract mail.eml', 'contract.pdf']);

    const after = await prepare(targets.contracts, ref);
    expect(after.body.rememberedChoice).toBe('replace');
    expect(after.body.duplicates.map((d) => d.id)).toEqual([done.id]);

    const skipped = await send(targets.contracts, ref, { onDuplicate: 'skip' });
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ skipped: true, transfer: { id: done.id } });
  });

  it('tells apart different mails that share a Message-ID', async () => {
    const first = await findMail(server, 'Shared id, first mail');
    const second = await findMail(server, 'Shared id, second mail');
    expect(first.internetMessageId).toBe(second.internetMessageId);
    const sent = await send(targets.alpha, first);
    await waitForTransfer(server, anna, sent.body.transfer.id);
    expect((await prepare(targets.alpha, first)).body.duplicates).toHaveLength(1);
    expect((await prepare(targets.alpha, second)).body.duplicates).toEqual([]);
  });

  it('suggests where the same sender and domain went before, then recent targets', async () => {
    const query = (sender: string) =>
      api<TargetSuggestions>(anna, 'GET', `/api/targets/suggestions?sender=${encodeURIComponent(sender)}`);
    expect((await query('max@mueller.example')).body.suggestions[0]).toEqual({
      targetId: targets.contracts,
      reason: 'sender',
    });
    expect((await query('someone.else@mueller.example')).body.suggestions[0]).toEqual({
      targetId: targets.contracts,
      reason: 'domain',
    });
    expect((await query('clara@shared-ids.example')).body.suggestions[0]).toEqual({
      targetId: targets.alpha,
      reason: 'sender',
    });
    const unknown = (await query('nobody@nowhere.example')).body.suggestions;
    expect(unknown.map((s) => s.reason)).toEqual(['recent', 'recent']);
  });

  it('cancels a running transfer, deleting what it wrote, and retries it', async () => {
    const ref = await findMail(server, 'Measurement data 2026 (large file)');
    // Hold the large file's second fragment a moment, so the cancel arrives while it runs.
    server.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: /upload/i,
      status: 503,
      retryAfterSeconds: 1,
      times: 1,
    });
    const created = await send(targets.alpha, ref);
    const id = created.body.transfer.id;
    await vi.waitFor(
      async () => {
        const { body } = await api<{ transfer: Transfer }>(anna, 'GET', `/api/transfers/${id}`);
        if (body.transfer.state !== 'running' || !body.transfer.progress?.bytesDone)
          throw new Error('not yet');
      },
      { timeout: 30_000, interval: 50 },
    );
    const cancel = await api<{ transfer: Transfer }>(anna, 'POST', `/api/transfers/${id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.transfer.cancelRequested).toBe(true);
    const ended = await vi.waitFor(
      async () => {
        const { body } = await api<{ transfer: Transfer }>(anna, 'GET', `/api/transfers/${id}`);
        if (body.transfer.state !== 'cancelled') throw new Error(body.transfer.state);
        return body.transfer;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(ended.files).toEqual([]);
    const names = (await folderChildren(server, 'Projects/Alpha')).map((f) => f.name);
    expect(names.filter((n) => n.includes('Measurement') || n.includes('measurements'))).toEqual([]);
    expect((await api(anna, 'POST', `/api/transfers/${id}/cancel`)).status).toBe(409);

    const retried = await api<{ transfer: Transfer }>(anna, 'POST', `/api/transfers/${id}/retry`);
    expect(retried.body.transfer.state).toBe('queued');
    const done = await waitForTransfer(server, anna, id);
    expect(done.state).toBe('done');
    expect(done.files.map((f) => f.name)).toContain('measurements-2026.csv');
    expect((await api(anna, 'POST', `/api/transfers/${id}/retry`)).status).toBe(409);
  });
});
