import type { CreateTransferBody, TransferResponse } from '@mailissa/contracts';
import { describe, expect, it } from 'vitest';
import type { OfficeApi, SelectedItemDetails } from '../office-api.js';
import { type BatchEntry, batchFromSelection, readSelection, sendBatch } from './batch.js';

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
    const send = async (body: CreateTransferBody): Promise<TransferResponse> => {
      sent.push(body);
      if (body.internetMessageId === '<m2@example.com>')
        throw new Error('This mail was not found in your mailbox.');
      return {
        transfer: { id: `t-${sent.length}` } as TransferResponse['transfer'],
        ...(body.internetMessageId === '<m3@example.com>' ? { skipped: true } : {}),
      };
    };
    const mails = batchFromSelection(fakeOffice(null), [mail(1), mail(2), mail(3)]);
    const seen: [number, BatchEntry['state']][] = [];
    const entries = await sendBatch(
      send,
      mails,
      'target-1',
      { onDuplicate: 'skip', subfolder: 'Inbox' },
      (i, e) => seen.push([i, e.state]),
    );
    expect(sent.map((b) => [b.messageId, b.targetId, b.onDuplicate, b.subfolder])).toEqual([
      ['AAMk_1-x=', 'target-1', 'skip', 'Inbox'],
      ['AAMk_2-x=', 'target-1', 'skip', 'Inbox'],
      ['AAMk_3-x=', 'target-1', 'skip', 'Inbox'],
    ]);
    expect(entries.map((e) => e.state)).toEqual(['sent', 'refused', 'skipped']);
    expect(entries[1]).toMatchObject({ message: 'This mail was not found in your mailbox.' });
    expect(seen).toEqual([
      [0, 'sent'],
      [1, 'refused'],
      [2, 'skipped'],
    ]);
  });
});
