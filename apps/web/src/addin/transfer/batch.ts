import type {
  CreateTransferBody,
  DuplicateChoice,
  PrepareTransferResponse,
  TransferResponse,
} from '@mailissa/contracts';
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
  /** Only attachments were chosen and this mail has none of that kind: nothing to send. */
  | { mail: BatchMail; state: 'empty' }
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
 * Which attachments of each mail go: every one, the default (inline images such as logos and
 * signatures left out, as for one mail), or none. Kinds rather than ids: each mail has its own.
 */
export type AttachmentKinds = 'all' | 'files' | 'none';

/**
 * The choices that make sense for several mails at once. No file name: each mail keeps the one the
 * target's template gives it, since one edited name cannot fit several mails.
 */
export interface BatchChoices {
  includeMail: boolean;
  attachments: AttachmentKinds;
  /** Below the target's folder; empty for the folder itself. */
  subfolder: string;
  onDuplicate: DuplicateChoice;
}

/** The one-click path: the `.eml`, attachments but inline images, no subfolder, skip mails already there. */
export const DEFAULT_BATCH_CHOICES: BatchChoices = {
  includeMail: true,
  attachments: 'files',
  subfolder: '',
  onDuplicate: 'skip',
};

/** The choices can send nothing at all: neither the mail nor any attachment. */
export function choosesNothing(choices: BatchChoices): boolean {
  return !choices.includeMail && choices.attachments === 'none';
}

/**
 * Whether a mail's attachments must be listed first (`GET /api/transfers/prepare`): to name every one
 * when all are chosen (inline images are not in the server's default), and, when only attachments
 * go, to tell a mail without any from one that has some, rather than start a transfer of nothing.
 */
function needsAttachmentList(choices: BatchChoices): boolean {
  return choices.attachments === 'all' || (!choices.includeMail && choices.attachments === 'files');
}

/**
 * The request body of one mail's transfer under the batch's choices; `attachments` is the mail's
 * list when `needsAttachmentList` asked for it. Null: nothing of this mail would be sent.
 */
export function transferBodyFor(
  mail: BatchMail,
  targetId: string,
  choices: BatchChoices,
  attachments?: PrepareTransferResponse['attachments'],
): CreateTransferBody | null {
  let attachmentIds: string[] | undefined;
  if (choices.attachments === 'none') attachmentIds = [];
  else if (attachments) {
    attachmentIds = attachments
      .filter((attachment) => choices.attachments === 'all' || attachment.selected)
      .map((attachment) => attachment.id);
  }
  if (!choices.includeMail && attachmentIds?.length === 0) return null;
  const subfolder = choices.subfolder.trim();
  return {
    messageId: mail.messageId,
    internetMessageId: mail.internetMessageId,
    targetId,
    onDuplicate: choices.onDuplicate,
    ...(choices.includeMail ? {} : { includeMail: false }),
    ...(attachmentIds ? { attachmentIds } : {}),
    ...(subfolder ? { subfolder } : {}),
  };
}

/** The two calls a batch makes per mail. */
export interface BatchApi {
  sendTransfer: (body: CreateTransferBody) => Promise<TransferResponse>;
  prepareTransfer: (query: {
    messageId: string;
    internetMessageId: string;
    targetId: string;
  }) => Promise<PrepareTransferResponse>;
}

/**
 * Sends one transfer per mail, one after the other (each request reads the mail through Graph; in
 * parallel they would only compete for the same throttling budget), with the same choices for all.
 * A refused mail does not stop the others: its line says why. `onEntry` reports every change.
 */
export async function sendBatch(
  api: BatchApi,
  mails: readonly BatchMail[],
  targetId: string,
  choices: BatchChoices,
  onEntry: (index: number, entry: BatchEntry) => void,
): Promise<BatchEntry[]> {
  const entries: BatchEntry[] = mails.map((mail) => ({ mail, state: 'waiting' }));
  for (const [index, mail] of mails.entries()) {
    let entry: BatchEntry;
    try {
      const attachments = needsAttachmentList(choices)
        ? (
            await api.prepareTransfer({
              messageId: mail.messageId,
              internetMessageId: mail.internetMessageId,
              targetId,
            })
          ).attachments
        : undefined;
      const body = transferBodyFor(mail, targetId, choices, attachments);
      if (body === null) entry = { mail, state: 'empty' };
      else {
        const answer = await api.sendTransfer(body);
        entry = answer.skipped
          ? { mail, state: 'skipped' }
          : { mail, state: 'sent', transfer: answer.transfer };
      }
    } catch (error) {
      entry = { mail, state: 'refused', message: error instanceof Error ? error.message : String(error) };
    }
    entries[index] = entry;
    onEntry(index, entry);
  }
  return entries;
}
