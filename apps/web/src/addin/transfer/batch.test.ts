import type { CreateTransferBody, PrepareTransferResponse, TransferResponse } from '@mailissa/contracts';
import { describe, expect, it } from 'vitest';
import type { OfficeApi, SelectedItemDetails } from '../office-api.js';
import {
  type BatchApi,
  type BatchEntry,
  batchFromSelection,
  choosesNothing,
  DEFAULT_BATCH_CHOICES,
  readSelection,
  sendBatch,
} from './batch.js';

function fakeOffice(selected: SelectedItemDetails[] | null, mailboxVersion = 1.15): OfficeApi {
  return {
    context: {
      displayLanguage: 'en-US',
      requirements: {
        isSetSupported: (name: string, version?: string | number) =>
          name.toLowerCase() === 'mailbox' && Number(version) <= mailboxVersion,
      },
      mailbox: {
        item: null,
        userProfile: { displayName: '', emailAddress: '', timeZone: 'UTC' },
        convertToRestId: (id: string) => id.replaceAll('+', '_').replaceAll('/', '-'),
        convertToEwsId: (id: string) => id,
        addHandlerAsync: () => undefined,
        removeHandlerAsync: () => undefined,
        ...(selected
          ? {
              getSelectedItemsAsync: (
                callback: (r: { status: 'succeeded'; value: SelectedItemDetails[] }) => void,
              ) => callback({ status: 'succeeded', value: selected }),
            }
          : {}),
      },
    },
    MailboxEnums: {
      RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
      ItemType: { Message: 'message', Appointment: 'appointment' },
      AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud', Base64: 'base64' },
    },
  } as unknown as OfficeApi;
}

const mail = (n: number, extra: Partial<SelectedItemDetails> = {}): SelectedItemDetails => ({
  itemId: `AAMk+${n}/x=`,
  itemMode: 'Read',
  itemType: 'Message',
  subject: `Mail ${n}`,
  internetMessageId: `<m${n}@example.com>`,
  ...extra,
});

describe('several selected mails', () => {
  it('takes read-mode messages with their REST ids; leaves out appointments and mails without a Message-ID', async () => {
    const office = fakeOffice([
      mail(1),
      mail(2, { itemType: 'Appointment' }),
      mail(3, { itemMode: 'Compose' }),
      mail(4, { internetMessageId: undefined }),
      mail(5, { itemType: 'message' }),
    ]);
    expect(await readSelection(office)).toEqual([
      { messageId: 'AAMk_1-x=', internetMessageId: '<m1@example.com>', subject: 'Mail 1' },
      { messageId: 'AAMk_5-x=', internetMessageId: '<m5@example.com>', subject: 'Mail 5' },
    ]);
    expect(batchFromSelection(office, [])).toEqual([]);
  });

  it('reads no selection where the host lacks Mailbox 1.15 or the method', async () => {
    expect(await readSelection(fakeOffice([mail(1)], 1.13))).toEqual([]);
    expect(await readSelection(fakeOffice(null))).toEqual([]);
  });

  it('sends one transfer per mail with the same choices; a refused mail does not stop the others', async () => {
    const sent: CreateTransferBody[] = [];
    const api = fakeApi(sent, {}, (body) => {
      if (body.internetMessageId === '<m2@example.com>')
        throw new Error('This mail was not found in your mailbox.');
      return body.internetMessageId === '<m3@example.com>';
    });
    const mails = batchFromSelection(fakeOffice(null), [mail(1), mail(2), mail(3)]);
    const seen: [number, BatchEntry['state']][] = [];
    const entries = await sendBatch(
      api,
      mails,
      'target-1',
      { ...DEFAULT_BATCH_CHOICES, subfolder: ' Inbox ' },
      (i, e) => seen.push([i, e.state]),
    );
    expect(sent).toEqual(
      [1, 2, 3].map((n) => ({
        messageId: `AAMk_${n}-x=`,
        internetMessageId: `<m${n}@example.com>`,
        targetId: 'target-1',
        onDuplicate: 'skip',
        subfolder: 'Inbox',
      })),
    );
    expect(entries.map((e) => e.state)).toEqual(['sent', 'refused', 'skipped']);
    expect(entries[1]).toMatchObject({ message: 'This mail was not found in your mailbox.' });
    expect(seen).toEqual([
      [0, 'sent'],
      [1, 'refused'],
      [2, 'skipped'],
    ]);
    // The defaults need no list of each mail's attachments: the server's default selection applies.
    expect(api.prepared).toEqual([]);
  });

  it('sends no attachment of any mail when none are chosen, and keeps the chosen duplicate handling', async () => {
    const sent: CreateTransferBody[] = [];
    const api = fakeApi(sent, {});
    const mails = batchFromSelection(fakeOffice(null), [mail(1), mail(2)]);
    await sendBatch(
      api,
      mails,
      't',
      { ...DEFAULT_BATCH_CHOICES, attachments: 'none', onDuplicate: 'replace' },
      () => {},
    );
    expect(sent.map((b) => [b.attachmentIds, b.includeMail, b.onDuplicate, b.subfolder])).toEqual([
      [[], undefined, 'replace', undefined],
      [[], undefined, 'replace', undefined],
    ]);
    expect(api.prepared).toEqual([]);
  });

  it('names every attachment of each mail, inline images too, when all are chosen', async () => {
    const sent: CreateTransferBody[] = [];
    const api = fakeApi(sent, {
      '<m1@example.com>': [attachment('a1', false), attachment('logo1', true)],
      '<m2@example.com>': [],
    });
    const mails = batchFromSelection(fakeOffice(null), [mail(1), mail(2)]);
    await sendBatch(api, mails, 't', { ...DEFAULT_BATCH_CHOICES, attachments: 'all' }, () => {});
    expect(sent.map((b) => [b.messageId, b.attachmentIds])).toEqual([
      ['AAMk_1-x=', ['a1', 'logo1']],
      ['AAMk_2-x=', []],
    ]);
    expect(api.prepared).toEqual(['AAMk_1-x=', 'AAMk_2-x=']);
  });

  it('with only attachments chosen, sends the default ones and starts nothing for a mail without any', async () => {
    const sent: CreateTransferBody[] = [];
    const api = fakeApi(sent, {
      '<m1@example.com>': [attachment('a1', false), attachment('logo1', true)],
      '<m2@example.com>': [attachment('logo2', true)],
    });
    const mails = batchFromSelection(fakeOffice(null), [mail(1), mail(2)]);
    const entries = await sendBatch(
      api,
      mails,
      't',
      { ...DEFAULT_BATCH_CHOICES, includeMail: false },
      () => {},
    );
    expect(sent.map((b) => [b.messageId, b.includeMail, b.attachmentIds])).toEqual([
      ['AAMk_1-x=', false, ['a1']],
    ]);
    expect(entries.map((e) => e.state)).toEqual(['sent', 'empty']);
  });

  it('calls choices that send neither the mail nor an attachment nothing', () => {
    expect(choosesNothing({ ...DEFAULT_BATCH_CHOICES, includeMail: false, attachments: 'none' })).toBe(true);
    expect(choosesNothing({ ...DEFAULT_BATCH_CHOICES, attachments: 'none' })).toBe(false);
    expect(choosesNothing({ ...DEFAULT_BATCH_CHOICES, includeMail: false })).toBe(false);
  });
});

function attachment(id: string, inline: boolean): PrepareTransferResponse['attachments'][number] {
  return {
    id,
    name: `${id}.${inline ? 'png' : 'pdf'}`,
    size: 10,
    contentType: inline ? 'image/png' : 'application/pdf',
    isInline: inline,
    selected: !inline,
  };
}

/**
 * The two calls of a batch: `sent` collects the bodies; `attachments` are each mail's (by
 * internetMessageId); `skipOrThrow` may refuse a mail or answer that it was skipped.
 */
function fakeApi(
  sent: CreateTransferBody[],
  attachments: Record<string, PrepareTransferResponse['attachments']>,
  skipOrThrow: (body: CreateTransferBody) => boolean = () => false,
): BatchApi & { prepared: string[] } {
  const prepared: string[] = [];
  return {
    prepared,
    sendTransfer: async (body) => {
      sent.push(body);
      const skipped = skipOrThrow(body);
      return {
        transfer: { id: `t-${sent.length}` } as TransferResponse['transfer'],
        ...(skipped ? { skipped: true } : {}),
      };
    },
    prepareTransfer: async (query) => {
      prepared.push(query.messageId);
      return {
        fileName: 'x.eml',
        attachments: attachments[query.internetMessageId] ?? [],
        folders: true,
        duplicates: [],
        rememberedChoice: null,
        linkExisting: false,
      };
    },
  };
}
