import type { CreateTransferBody, TransferResponse } from '@mailissa/contracts';
import type { OfficeApi, SelectedItemDetails } from '../office-api.js';

/** One mail of a batch: selected in the list, or one of the open mail's conversation. */
export interface BatchMail {
  /** Graph (REST) id. */
  messageId: string;
  internetMessageId: string;
  subject: string;
}

/** A mail's line in the one progress list: waiting, sent (with its transfer), skipped, refused. */
export type BatchEntry =
  | { mail: BatchMail; state: 'waiting' }
  | { mail: BatchMail; state: 'sent'; transfer: TransferResponse['transfer'] }
  | { mail: BatchMail; state: 'skipped' }
  | { mail: BatchMail; state: 'refused'; message: string };

/**
 * The selected mails as a batch. Only messages in read mode count (an appointment or a draft being
 * written has no mail to file), and only with the `internetMessageId` Mailbox 1.15 reports: without
 * it the server cannot match the id to the mail, so such a host gets the one-mail panel instead.
 */
export function batchFromSelection(office: OfficeApi, items: readonly SelectedItemDetails[]): BatchMail[] {
  return items.flatMap((item) =>
    item.itemType.toLowerCase() === 'message' &&
    item.itemMode.toLowerCase() === 'read' &&
    item.internetMessageId
      ? [
          {
            messageId: office.context.mailbox.convertToRestId(
              item.itemId,
              office.MailboxEnums.RestVersion.v2_0,
            ),
            internetMessageId: item.internetMessageId,
            subject: item.subject,
          },
        ]
      : [],
  );
}

/** The mails selected in the list, when the host can tell (Mailbox 1.13, ids since 1.15). */
export function readSelection(office: OfficeApi): Promise<BatchMail[]> {
  const mailbox = office.context.mailbox;
  if (!mailbox.getSelectedItemsAsync || !office.context.requirements.isSetSupported('Mailbox', '1.15')) {
    return Promise.resolve([]);
  }
  const getSelected = mailbox.getSelectedItemsAsync.bind(mailbox);
  return new Promise((resolve) => {
    getSelected((result) => {
      resolve(result.status === 'succeeded' ? batchFromSelection(office, result.value) : []);
    });
  });
}

/**
 * Sends one transfer per mail, one after the other (each request reads the mail through Graph; in
 * parallel they would only compete for the same throttling budget), with the same choices for all.
 * A refused mail does not stop the others: its line says why. `onEntry` reports every change.
 */
export async function sendBatch(
  send: (body: CreateTransferBody) => Promise<TransferResponse>,
  mails: readonly BatchMail[],
  targetId: string,
  choices: Pick<CreateTransferBody, 'includeMail' | 'subfolder' | 'onDuplicate'>,
  onEntry: (index: number, entry: BatchEntry) => void,
): Promise<BatchEntry[]> {
  const entries: BatchEntry[] = mails.map((mail) => ({ mail, state: 'waiting' }));
  for (const [index, mail] of mails.entries()) {
    let entry: BatchEntry;
    try {
      const answer = await send({
        messageId: mail.messageId,
        internetMessageId: mail.internetMessageId,
        targetId,
        ...choices,
      });
      entry = answer.skipped
        ? { mail, state: 'skipped' }
        : { mail, state: 'sent', transfer: answer.transfer };
    } catch (error) {
      entry = { mail, state: 'refused', message: error instanceof Error ? error.message : String(error) };
    }
    entries[index] = entry;
    onEntry(index, entry);
  }
  return entries;
}
