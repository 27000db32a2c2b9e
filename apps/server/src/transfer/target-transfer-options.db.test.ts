import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  ConversationResponse,
  TargetColumn,
  TargetTransferOptionsResponse,
  Transfer,
} from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';
import {
  accessTokenFor,
  apiClient,
  demoGraph,
  demoTenantId,
  findMail,
  folderChildren,
  seedTargets,
  waitForTransfer,
} from './transfer-test-helpers.js';

let server: TestServer;
let importDir: string;
let anna: string;
let admin: string;
let targets: { contracts: string; alpha: string };

const SUBJECT = 'Signed framework contract Lindqvist AB';

async function portal<T>(
  method: 'GET' | 'PUT',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      cookie: admin,
      'x-requested-with': 'mailissa',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const options = (change: Record<string, unknown> = {}) => ({
  fileNameTemplate: '{date} {fromName} - {subject}',
  filedCategory: 'Filed: Contracts',
  filedColor: 'preset4',
  columnMapping: {},
  ...change,
});

beforeAll(async () => {
  importDir = await mkdtemp(path.join(tmpdir(), 'mailissa-filed-'));
  await writeFile(
    path.join(importDir, 'lindqvist.eml'),
    [
      'From: Sofia Lindqvist <sofia@lindqvist.example>',
      'To: Anna Berger <anna.berger@contoso.example>, Legal <legal@contoso.example>',
      `Subject: ${SUBJECT}`,
      'Date: Wed, 18 Nov 2026 14:05:00 +0000',
      'Message-ID: <framework-contract@lindqvist.example>',
      '',
      'The signed contract is attached in our portal.',
      '',
    ].join('\r\n'),
  );
  server = await startTestServer({ env: { EMULATOR_IMPORT_DIR: importDir } });
  targets = await seedTargets(server);
  anna = await accessTokenFor(
    server,
    server.app.emulator.ids.demoTenantId,
    server.app.emulator.ids.demoUserUpn,
  );
  const tenantId = await demoTenantId(server);
  const user = await server.database.db.query<{ id: string; display_name: string }>(
    'select id, display_name from users where tenant_id = $1 and email = $2',
    [tenantId, server.app.emulator.ids.demoUserUpn],
  );
  const row = user.rows[0];
  if (!row) throw new Error('Anna has not signed in');
  const session = await createWebSession(
    server.database.db,
    { app: 'portal', tenantId, userId: row.id, displayName: row.display_name },
    new Date(),
  );
  admin = `mailissa_portal=${session.token}`;
});

afterAll(async () => {
  await server?.close();
  await rm(importDir, { recursive: true, force: true });
});

describe("a target's transfer options: file name, filed marker, column mapping", () => {
  it('lists the library columns, marking what Mailissa cannot write', async () => {
    const listed = await portal<{ columns: TargetColumn[] }>(
      'GET',
      `/portal/api/targets/${targets.contracts}/columns`,
    );
    expect(listed.status).toBe(200);
    const byName = new Map(listed.body.columns.map((c) => [c.name, c]));
    expect(byName.get('MailSubject')).toEqual({
      name: 'MailSubject',
      displayName: 'Mail subject',
      type: 'text',
      writable: true,
    });
    expect(byName.get('MailTo')).toMatchObject({ type: 'note', writable: true });
    expect(byName.get('MailReceived')).toMatchObject({ type: 'dateTime', writable: true });
    expect(byName.get('Modified')).toMatchObject({ type: 'dateTime', writable: false });
    expect(byName.get('DocumentStatus')).toMatchObject({ type: 'choice', writable: false });
    expect(byName.get('Reviewed')).toMatchObject({ type: 'other', writable: false });
  });

  it('refuses bad options by field, and stores nothing', async () => {
    const url = `/portal/api/targets/${targets.contracts}/transfer-options`;
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ fileNameTemplate: '{date} {sender}' }, 400, /unknown placeholder \{sender\}/],
      [{ fileNameTemplate: '{date}: {subject}' }, 400, /cannot hold/],
      [{ fileNameTemplate: '   ' }, 400, /empty/],
      [{ filedCategory: 'Filed, Contracts' }, 400, /comma/],
      [{ filedColor: 'preset25' }, 400, /preset0/],
      [{ columnMapping: { NoSuchColumn: 'subject' } }, 400, /NoSuchColumn: the library has no column/],
      [{ columnMapping: { Modified: 'date' } }, 400, /cannot be written/],
      [{ columnMapping: { MailReceived: 'subject' } }, 400, /can only hold the date/],
      [{ columnMapping: { DocumentStatus: 'subject' } }, 400, /cannot be written/],
      [{ columnMapping: { MailSubject: 'body' } }, 400, /columnMapping/],
    ];
    for (const [change, status, message] of cases) {
      const answer = await portal<{ error: { message: string } }>('PUT', url, options(change));
      expect(answer.status, JSON.stringify(change)).toBe(status);
      expect(JSON.stringify(answer.body), JSON.stringify(change)).toMatch(message);
    }
    const stored = await portal<TargetTransferOptionsResponse>('GET', url);
    expect(stored.body).toEqual({
      options: {
        fileNameTemplate: '{date} {time} {subject}',
        filedCategory: null,
        filedColor: null,
        columnMapping: {},
      },
      fieldMapping: true,
    });
    const missing = await portal(
      'GET',
      '/portal/api/targets/00000000-0000-4000-8000-000000000000/transfer-options',
    );
    expect(missing.status).toBe(404);
  });

  it('names the file by the template, marks the mail with the category and fills the mapped columns', async () => {
    const url = `/portal/api/targets/${targets.contracts}/transfer-options`;
    const saved = await portal<TargetTransferOptionsResponse>(
      'PUT',
      url,
      options({
        columnMapping: {
          Title: 'subject',
          MailSubject: 'subject',
          MailFrom: 'from',
          MailTo: 'to',
          MailReceived: 'date',
        },
      }),
    );
    expect(saved.status).toBe(200);
    expect((await portal<TargetTransferOptionsResponse>('GET', url)).body.options).toEqual(
      saved.body.options,
    );

    const ref = await findMail(server, SUBJECT);
    const created = await apiClient(server)<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: ref.id,
      internetMessageId: ref.internetMessageId,
      targetId: targets.contracts,
    });
    expect(created.status).toBe(202);
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.state).toBe('done');
    const fileName = `2026-11-18 Sofia Lindqvist - ${SUBJECT}.eml`;
    expect(done.files.map((f) => f.name)).toEqual([fileName]);
    expect((await folderChildren(server, 'Contracts 2026')).map((f) => f.name)).toContain(fileName);

    // What Outlook shows: the mail carries the category, and the mailbox knows it in its colour.
    const graph = demoGraph(server);
    const mailbox = server.app.emulator.ids.demoUserOid;
    const message = await graph.json<{ categories: string[] }>({
      path: `/users/${mailbox}/messages/${ref.id}?$select=categories`,
      what: 'test: read categories',
    });
    expect(message.categories).toContain('Filed: Contracts');
    const master = await graph.json<{ value: { displayName: string; color: string }[] }>({
      path: `/users/${mailbox}/outlook/masterCategories`,
      what: 'test: read master categories',
    });
    expect(master.value).toContainEqual(
      expect.objectContaining({ displayName: 'Filed: Contracts', color: 'preset4' }),
    );

    // What the library shows in its columns.
    const driveId = encodeURIComponent(server.app.emulator.ids.demoDriveId);
    const item = await graph.json<{ id: string }>({
      path: `/drives/${driveId}/root:/Contracts%202026/${encodeURIComponent(fileName)}:`,
      what: 'test: find the file',
    });
    const fields = await graph.json<Record<string, unknown>>({
      path: `/drives/${driveId}/items/${item.id}/listItem/fields`,
      what: 'test: read fields',
    });
    expect(fields).toMatchObject({
      Title: SUBJECT,
      MailSubject: SUBJECT,
      MailFrom: 'Sofia Lindqvist <sofia@lindqvist.example>',
      MailTo: 'anna.berger@contoso.example; legal@contoso.example',
      MailReceived: expect.stringMatching(/^2026-11-18T14:05:00Z$/),
    });

    // A second filing of the same mail adds no second category.
    const again = await apiClient(server)<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: ref.id,
      internetMessageId: ref.internetMessageId,
      targetId: targets.contracts,
      onDuplicate: 'replace',
    });
    expect((await waitForTransfer(server, anna, again.body.transfer.id)).state).toBe('done');
    const after = await graph.json<{ categories: string[] }>({
      path: `/users/${mailbox}/messages/${ref.id}?$select=categories`,
      what: 'test: read categories',
    });
    expect(after.categories.filter((c) => c === 'Filed: Contracts')).toHaveLength(1);
  });
});

describe('a whole conversation', () => {
  it("lists the conversation's mails from the user's mailbox, oldest first, to transfer each", async () => {
    const thread: { id: string; subject: string; receivedDateTime: string; conversationId: string }[] = [];
    for await (const mail of demoGraph(server).paginate<(typeof thread)[number]>(
      `/users/${server.app.emulator.ids.demoUserOid}/messages?$select=id,subject,receivedDateTime,conversationId&$top=100`,
    )) {
      if (mail.subject.endsWith('Project Alpha: schedule for the rollout')) thread.push(mail);
    }
    expect(thread.length).toBeGreaterThan(2);
    const newest = [...thread].sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime))[0];
    const api = apiClient(server);
    const answer = await api<ConversationResponse>(
      anna,
      'GET',
      `/api/transfers/conversation?messageId=${encodeURIComponent(newest?.id ?? '')}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.truncated).toBe(false);
    expect(answer.body.messages.map((m) => m.messageId).sort()).toEqual(thread.map((m) => m.id).sort());
    const times = answer.body.messages.map((m) => m.receivedAt ?? '');
    expect(times).toEqual([...times].sort());
    expect(answer.body.messages.every((m) => m.internetMessageId.startsWith('<'))).toBe(true);

    // One transfer per mail of the conversation, as the add-in sends them.
    const created = await Promise.all(
      answer.body.messages.map((m) =>
        api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
          messageId: m.messageId,
          internetMessageId: m.internetMessageId,
          targetId: targets.alpha,
        }),
      ),
    );
    const ended = await Promise.all(created.map((c) => waitForTransfer(server, anna, c.body.transfer.id)));
    expect(ended.map((t) => t.state)).toEqual(ended.map(() => 'done'));

    const missing = await api<{ error: { code: string } }>(
      anna,
      'GET',
      '/api/transfers/conversation?messageId=AAMkADoesNotExist',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('message_not_found');
  });
});
