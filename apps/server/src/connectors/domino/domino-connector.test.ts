import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMINO_DEMO_SCOPE, DOMINO_DEMO_USERS } from '../../demo/emulators.js';
import { failureOf } from '../../test-support/app-error-of.js';
import { RECORD_PART_KEY } from '../rest-target/record-once.js';
import {
  mailOf,
  memoryProgress,
  part,
  restContext,
  type SaasEmulators,
  startSaasEmulators,
} from '../rest-target/rest-target-test-support.js';
import { dominoConnector } from './domino-connector.js';

let emulators: SaasEmulators;
const anna = DOMINO_DEMO_USERS.anna;
const credential = { username: anna.username, password: anna.password };
const context = () => restContext(credential);
const settingsFor = (extra: Record<string, unknown> = {}) =>
  dominoConnector.validateSettings({
    serverUrl: emulators.domino.baseUrl,
    dataSource: DOMINO_DEMO_SCOPE,
    ...extra,
  });

/** Reads an attachment back over DRAPI, signed in as Anna. */
async function download(unid: string, name: string): Promise<Buffer> {
  const api = `${emulators.domino.baseUrl}/api/v1`;
  const auth = (await (
    await fetch(`${api}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credential),
    })
  ).json()) as { bearer: string };
  const response = await fetch(
    `${api}/attachments/${unid}/${encodeURIComponent(name)}?dataSource=${DOMINO_DEMO_SCOPE}`,
    {
      headers: { authorization: `Bearer ${auth.bearer}` },
    },
  );
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  emulators = await startSaasEmulators({ maxAttachmentBytes: 256 * 1024 });
});
afterAll(async () => {
  await emulators?.close();
});

describe('Domino connector against the Domino REST API stand-in', () => {
  it('validates settings with the default mapping, naming the bad field', () => {
    expect(settingsFor()).toMatchObject({
      form: 'Memo',
      markerItem: 'MailissaTransfer',
      parentUnid: '',
      fieldMapping: [
        { field: 'Subject', source: 'subject' },
        { field: 'From', source: 'from' },
        { field: 'PostedDate', source: 'date' },
        { field: 'Body', source: 'body' },
        { field: 'Categories', source: 'category' },
      ],
    });
    expect(() => settingsFor({ dataSource: 'a b' })).toThrow(/settings.dataSource/);
    expect(() => settingsFor({ fieldMapping: [] })).toThrow(/settings.fieldMapping: maps no field/);
    expect(() =>
      settingsFor({
        fieldMapping: [
          { field: 'Subject', source: 'subject' },
          { field: 'subject', source: 'from' },
        ],
      }),
    ).toThrow(/names a field twice/);
    expect(() => settingsFor({ fieldMapping: [{ field: '1x', source: 'subject' }] })).toThrow(
      /settings.fieldMapping.0.field/,
    );
  });

  it('tests the connection: the server without credentials, the sign-in, scope and form with them', async () => {
    expect(await dominoConnector.testConnection(restContext(), settingsFor())).toMatchObject({ ok: true });
    expect(await dominoConnector.testConnection(context(), settingsFor())).toMatchObject({ ok: true });
    expect(await dominoConnector.testConnection(context(), settingsFor({ form: 'Invoice' }))).toMatchObject({
      ok: false,
    });
    expect(
      await dominoConnector.testConnection(context(), settingsFor({ dataSource: 'board' })),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/denied access/),
    });
    expect(
      await dominoConnector.testConnection(restContext({ ...credential, password: 'old' }), settingsFor()),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/connect your account again/) });
  });

  it('files a document with the mapped items and the files byte-identical; a second mail as a response under it', async () => {
    const eml = Buffer.from('From: lena\r\n\r\nHello\r\n');
    const contract = randomBytes(100_000);
    const result = await dominoConnector.transferMail(
      context(),
      settingsFor(),
      mailOf('Framework contract', 'Dear Anna,\nthe contract.', [
        part('message', 'message.eml', eml),
        part('attachment:1', 'Rahmenvertrag.pdf', contract),
      ]),
      memoryProgress(),
    );
    expect(result.url).toBeNull();
    const doc = emulators.domino.store.documents.at(-1);
    if (!doc) throw new Error('no document was made');
    expect(doc.form).toBe('Memo');
    expect(doc.items).toEqual({
      MailissaTransfer: expect.stringMatching(/^mailissa-/),
      Subject: 'Framework contract',
      From: 'Lena Vogt <lena.vogt@fabrikam.example>',
      PostedDate: '2026-11-09T10:20:00.000Z',
      Body: { type: 'text/plain', content: 'Dear Anna,\nthe contract.' },
      Categories: ['Customer', 'Urgent'],
    });
    expect(doc.attachments.map((file) => file.name)).toEqual([
      '2026-11-09 1020 Framework contract.eml',
      'Rahmenvertrag.pdf',
    ]);
    expect((await download(doc.unid, 'Rahmenvertrag.pdf')).equals(contract)).toBe(true);
    expect((await download(doc.unid, '2026-11-09 1020 Framework contract.eml')).equals(eml)).toBe(true);

    await dominoConnector.transferMail(
      context(),
      settingsFor(),
      mailOf('Re: Framework contract', 'Signed.', [part('message', 'message.eml', Buffer.from('reply'))]),
      memoryProgress(),
      { linkTo: doc.unid },
    );
    const response = emulators.domino.store.documents.at(-1);
    expect(response?.parentUnid).toBe(doc.unid);
    expect(response?.items.Subject).toBe('Re: Framework contract');
  });

  it('makes exactly one document when the worker dies after the create', async () => {
    const subject = `Once ${randomBytes(4).toString('hex')}`;
    const progress = memoryProgress();
    progress.crashOnDone(RECORD_PART_KEY);
    const mail = () => mailOf(subject, 'text', [part('message', 'm.eml', Buffer.from('m'))]);
    await expect(dominoConnector.transferMail(context(), settingsFor(), mail(), progress)).rejects.toThrow(
      /worker died/,
    );
    progress.crashOnDone('message');
    await expect(dominoConnector.transferMail(context(), settingsFor(), mail(), progress)).rejects.toThrow(
      /worker died/,
    );
    await dominoConnector.transferMail(context(), settingsFor(), mail(), progress);
    const mine = emulators.domino.store.documents.filter((doc) => doc.items.Subject === subject);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.attachments).toHaveLength(1);
  });

  it('finds documents by words in the subject and by UNID', async () => {
    const found = await dominoConnector.findExistingRecords(context(), settingsFor(), { text: 'framework' });
    expect(found.map((record) => record.title)).toEqual(['Re: Framework contract', 'Framework contract']);
    const first = found[1];
    if (!first) throw new Error('nothing found');
    expect(await dominoConnector.findExistingRecords(context(), settingsFor(), { text: first.id })).toEqual([
      first,
    ]);
  });

  it('classifies failures', async () => {
    const mail = () => mailOf('Failing', 'x', [part('message', 'm.eml', Buffer.from('x'))]);
    const run = (ctx = context(), extra: Record<string, unknown> = {}, linkTo?: string) =>
      failureOf(
        dominoConnector.transferMail(
          ctx,
          settingsFor(extra),
          mail(),
          memoryProgress(),
          linkTo ? { linkTo } : undefined,
        ),
      );
    expect(await run(restContext())).toMatchObject({ status: 401, code: 'target_credentials_missing' });
    expect(await run(restContext({ ...credential, password: 'old' }))).toMatchObject({
      status: 401,
      code: 'target_credentials_rejected',
    });
    expect(await run(context(), { dataSource: 'board' })).toMatchObject({
      status: 403,
      code: 'target_access_denied',
    });
    expect(await run(context(), {}, '0123456789ABCDEF0123456789ABCDEF')).toMatchObject({
      status: 404,
      code: 'target_record_not_found',
    });
    expect(await run(context(), { fieldMapping: [{ field: 'Unknown', source: 'subject' }] })).toMatchObject({
      status: 422,
      code: 'target_rejected',
      detail: expect.stringMatching(/Field 'Unknown' is not writable/),
    });
    emulators.domino.faults.inject({
      method: 'POST',
      pathPattern: /\/api\/v1\/document$/,
      status: 429,
      retryAfterSeconds: 2,
      times: 1,
    });
    expect(await run()).toMatchObject({ code: 'target_throttled', extra: { retryAfterMs: 2000 } });
    emulators.domino.faults.inject({
      method: 'POST',
      pathPattern: /\/api\/v1\/auth$/,
      status: 503,
      times: 1,
    });
    expect(await run()).toMatchObject({ status: 503, code: 'target_unavailable' });
    const big = mailOf('Big', 'x', [part('attachment:1', 'big.bin', randomBytes(300 * 1024))]);
    expect(
      await failureOf(dominoConnector.transferMail(context(), settingsFor(), big, memoryProgress())),
    ).toMatchObject({
      status: 413,
      code: 'target_file_too_large',
    });
  });
});
