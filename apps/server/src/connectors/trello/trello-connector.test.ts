import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRELLO_DEMO_IDS, TRELLO_DEMO_MEMBERS } from '../../demo/emulators.js';
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
import { trelloConnector } from './trello-connector.js';

let emulators: SaasEmulators;
const anna = TRELLO_DEMO_MEMBERS.anna;
const credential = { apiKey: anna.apiKey, token: anna.token };
const context = () => restContext(credential);
const settingsFor = (extra: Record<string, unknown> = {}) =>
  trelloConnector.validateSettings({
    apiUrl: emulators.trello.apiUrl,
    listId: TRELLO_DEMO_IDS.inbox,
    ...extra,
  });

/** Downloads an attachment as Trello requires: with the OAuth header, not query parameters. */
async function download(url: string): Promise<Buffer> {
  const response = await fetch(url, {
    headers: { authorization: `OAuth oauth_consumer_key="${anna.apiKey}", oauth_token="${anna.token}"` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  emulators = await startSaasEmulators({ maxAttachmentBytes: 256 * 1024 });
});
afterAll(async () => {
  await emulators?.close();
});

describe('Trello connector against the Trello stand-in', () => {
  it('validates settings, naming the bad field', () => {
    expect(trelloConnector.validateSettings({ listId: TRELLO_DEMO_IDS.inbox })).toEqual({
      apiUrl: 'https://api.trello.com/1',
      listId: TRELLO_DEMO_IDS.inbox,
      cardId: '',
      fieldMapping: [],
    });
    expect(() => settingsFor({ fieldMapping: [{ field: 'Sender', source: 'from' }] })).toThrow(
      /settings.fieldMapping.0.field: is not a Trello custom field id/,
    );
    expect(() =>
      settingsFor({ fieldMapping: [{ field: TRELLO_DEMO_IDS.senderField, source: 'cc' }] }),
    ).toThrow(/settings.fieldMapping.0.source/);
    expect(() => settingsFor({ listId: 'inbox' })).toThrow(/settings.listId/);
    expect(() => settingsFor({ cardId: 'x' })).toThrow(/settings.cardId/);
    expect(() => settingsFor({ apiUrl: 'ftp://api.trello.com' })).toThrow(/settings.apiUrl/);
  });

  it('tests the connection with and without the user’s key and token', async () => {
    expect(await trelloConnector.testConnection(restContext(), settingsFor())).toMatchObject({ ok: true });
    expect(await trelloConnector.testConnection(context(), settingsFor())).toEqual({
      ok: true,
      message: 'Signed in as Anna Berger; list "Inbox" is ready.',
    });
    expect(
      await trelloConnector.testConnection(context(), settingsFor({ listId: TRELLO_DEMO_IDS.privateList })),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/denied access/) });
  });

  it('makes a card with the text and the files byte-identical; a second mail is a comment with its files', async () => {
    const eml = Buffer.from('From: lena\r\n\r\nHello\r\n');
    const xlsx = randomBytes(120_000);
    const progress = memoryProgress();
    const result = await trelloConnector.transferMail(
      context(),
      settingsFor(),
      mailOf('Delivery dates', 'Hello Anna,\n\ndates attached.', [
        part('message', 'message.eml', eml),
        part('attachment:1', 'Liefertermine.xlsx', xlsx),
      ]),
      progress,
    );
    const card = emulators.trello.store.cards.at(-1);
    if (!card) throw new Error('no card was made');
    expect(result.url).toBe(`${emulators.trello.apiUrl.replace(/\/1$/, '')}/c/${card.shortLink}`);
    expect(card.name).toBe('Delivery dates');
    expect(card.idList).toBe(TRELLO_DEMO_IDS.inbox);
    expect(card.desc).toMatch(
      /^_Mail from Lena Vogt <lena.vogt@fabrikam.example>, received 2026-11-09T10:20:00.000Z_\n\nHello Anna,\n\ndates attached.\n\n---\nFiled by Mailissa \(mailissa-[0-9a-f-]+\)$/,
    );
    expect(card.attachments.map((a) => [a.name, a.bytes.byteLength, a.mimeType])).toEqual([
      ['2026-11-09 1020 Delivery dates.eml', eml.byteLength, 'message/rfc822'],
      ['Liefertermine.xlsx', xlsx.byteLength, 'application/octet-stream'],
    ]);
    const listed = (await (
      await fetch(
        `${emulators.trello.apiUrl}/cards/${card.id}/attachments?key=${anna.apiKey}&token=${anna.token}`,
      )
    ).json()) as { url: string }[];
    expect((await download(listed[1]?.url ?? '')).equals(xlsx)).toBe(true);

    const cards = emulators.trello.store.cards.length;
    const second = await trelloConnector.transferMail(
      context(),
      settingsFor(),
      mailOf('Re: Delivery dates', 'Confirmed.', [part('message', 'message.eml', Buffer.from('reply'))]),
      memoryProgress(),
      { linkTo: card.shortLink },
    );
    expect(second.url).toBe(result.url);
    expect(emulators.trello.store.cards).toHaveLength(cards);
    expect(card.comments.map((c) => c.text.split('\n')[0])).toEqual([
      '_Mail "Re: Delivery dates" from Lena Vogt <lena.vogt@fabrikam.example>, received 2026-11-09T10:20:00.000Z_',
    ]);
    expect(card.attachments.map((a) => a.name).at(-1)).toBe('2026-11-09 1020 Re_ Delivery dates.eml');
  });

  it('fills the board’s custom fields of a new card from the mail, and says when the board cannot take a mapping', async () => {
    const mapping = [
      { field: TRELLO_DEMO_IDS.senderField, source: 'from' },
      { field: TRELLO_DEMO_IDS.receivedField, source: 'date' },
    ];
    expect(trelloConnector.describeSettings().find((field) => field.key === 'fieldMapping')).toMatchObject({
      kind: 'field_mapping',
      sources: expect.arrayContaining([expect.objectContaining({ key: 'from' })]),
    });
    expect(trelloConnector.capabilities).toContain('field_mapping');
    await trelloConnector.transferMail(
      context(),
      settingsFor({ fieldMapping: mapping }),
      mailOf('Mapped card', 'Text.', [part('message', 'message.eml', Buffer.from('x'))]),
      memoryProgress(),
    );
    const card = emulators.trello.store.cards.find((candidate) => candidate.name === 'Mapped card');
    // Read back as a Trello client would: the card's custom field items.
    const items = (await (
      await fetch(
        `${emulators.trello.apiUrl}/cards/${card?.id}/customFieldItems?key=${anna.apiKey}&token=${anna.token}`,
      )
    ).json()) as { idCustomField: string; value: Record<string, string> }[];
    expect(items).toEqual([
      expect.objectContaining({
        idCustomField: TRELLO_DEMO_IDS.senderField,
        value: { text: 'Lena Vogt <lena.vogt@fabrikam.example>' },
      }),
      expect.objectContaining({
        idCustomField: TRELLO_DEMO_IDS.receivedField,
        value: { date: '2026-11-09T10:20:00.000Z' },
      }),
    ]);

    // A number field, a date field given text, a field of another board: the test says so, and a
    // transfer fails with the same words instead of filling some fields.
    for (const [wrong, message] of [
      [{ field: TRELLO_DEMO_IDS.customerNumberField, source: 'subject' }, /"Customer no." is a number field/],
      [{ field: TRELLO_DEMO_IDS.receivedField, source: 'subject' }, /"Received" is a date field/],
      [{ field: 'ffffffffffffffffffffffff', source: 'subject' }, /the board has no custom field ffff/],
    ] as const) {
      const settings = settingsFor({ fieldMapping: [wrong] });
      expect(await trelloConnector.testConnection(context(), settings)).toEqual({
        ok: false,
        message: expect.stringMatching(message),
      });
      expect(
        await failureOf(
          trelloConnector.transferMail(
            context(),
            settings,
            mailOf('Badly mapped', 'x', [part('message', 'm.eml', Buffer.from('x'))]),
            memoryProgress(),
          ),
        ),
      ).toMatchObject({ status: 409, code: 'target_misconfigured', message: expect.stringMatching(message) });
    }
    expect(emulators.trello.store.cards.filter((candidate) => candidate.name === 'Badly mapped')).toEqual([]);
  });

  it('makes exactly one card when the worker dies after the create', async () => {
    const subject = `Once ${randomBytes(4).toString('hex')}`;
    const progress = memoryProgress();
    progress.crashOnDone(RECORD_PART_KEY);
    const mail = () => mailOf(subject, 'text', [part('message', 'm.eml', Buffer.from('m'))]);
    await expect(trelloConnector.transferMail(context(), settingsFor(), mail(), progress)).rejects.toThrow(
      /worker died/,
    );
    await trelloConnector.transferMail(context(), settingsFor(), mail(), progress);
    const mine = emulators.trello.store.cards.filter((card) => card.name === subject);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.attachments).toHaveLength(1);
  });

  it('finds cards by link and by words', async () => {
    const card = emulators.trello.store.cards[0];
    if (!card) throw new Error('no card');
    const byLink = await trelloConnector.findExistingRecords(context(), settingsFor(), {
      text: `https://trello.com/c/${card.shortLink}/1-delivery-dates`,
    });
    expect(byLink.map((r) => r.id)).toEqual([card.id]);
    const byWords = await trelloConnector.findExistingRecords(context(), settingsFor(), { text: 'delivery' });
    expect(byWords.map((r) => r.title)).toEqual(['Delivery dates']);
  });

  it('classifies failures', async () => {
    const mail = () => mailOf('Failing', 'x', [part('message', 'm.eml', Buffer.from('x'))]);
    const run = (ctx = context(), extra: Record<string, unknown> = {}) =>
      failureOf(trelloConnector.transferMail(ctx, settingsFor(extra), mail(), memoryProgress()));
    expect(await run(restContext())).toMatchObject({ status: 401, code: 'target_credentials_missing' });
    expect(await run(restContext({ ...credential, token: 'revoked' }))).toMatchObject({
      status: 401,
      code: 'target_credentials_rejected',
    });
    expect(await run(context(), { listId: TRELLO_DEMO_IDS.privateList })).toMatchObject({
      status: 403,
      code: 'target_access_denied',
    });
    expect(await run(context(), { listId: '0123456789abcdef01234567' })).toMatchObject({
      status: 404,
      code: 'target_record_not_found',
    });
    emulators.trello.faults.inject({
      method: 'POST',
      pathPattern: /\/1\/cards$/,
      status: 429,
      retryAfterSeconds: 3,
      times: 1,
    });
    expect(await run()).toMatchObject({ code: 'target_throttled', extra: { retryAfterMs: 3000 } });
    emulators.trello.faults.inject({ method: 'POST', pathPattern: /\/1\/cards$/, status: 502, times: 1 });
    expect(await run()).toMatchObject({ status: 503, code: 'target_unavailable' });
    const big = mailOf('Big', 'x', [part('attachment:1', 'big.bin', randomBytes(300 * 1024))]);
    expect(
      await failureOf(trelloConnector.transferMail(context(), settingsFor(), big, memoryProgress())),
    ).toMatchObject({
      status: 413,
      code: 'target_file_too_large',
    });
  });
});
