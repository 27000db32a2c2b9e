import mimeTypes from 'mime-types';
import { z } from 'zod';
import type { MailPart, MailSource, SizedStream } from '../connectors/connector.js';
import type { GraphClient, GraphStream } from '../graph/graph-client.js';

export const messageSummarySchema = z.looseObject({
  id: z.string(),
  subject: z.string().nullable().optional(),
  receivedDateTime: z.string().nullable().optional(),
  internetMessageId: z.string().nullable().optional(),
  hasAttachments: z.boolean().optional(),
  sentDateTime: z.string().nullable().optional(),
  conversationId: z.string().nullable().optional(),
  from: z
    .looseObject({
      emailAddress: z
        .looseObject({ address: z.string().nullable().optional(), name: z.string().nullable().optional() })
        .optional(),
    })
    .nullable()
    .optional(),
  categories: z.array(z.string()).optional(),
  toRecipients: z
    .array(
      z.looseObject({
        emailAddress: z.looseObject({ address: z.string().nullable().optional() }).nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type MessageSummary = z.infer<typeof messageSummarySchema>;

const bodyTextSchema = z.looseObject({
  body: z.looseObject({ content: z.string().nullable().optional() }).nullable().optional(),
});

const attachmentSchema = z.looseObject({
  '@odata.type': z.string().optional(),
  id: z.string(),
  name: z.string().nullable().optional(),
  contentType: z.string().nullable().optional(),
  size: z.number().optional(),
  isInline: z.boolean().optional(),
});
type Attachment = z.infer<typeof attachmentSchema>;

/** An attachment as the user picks it before sending. */
export interface ListedAttachment {
  id: string;
  name: string;
  size: number;
  contentType: string | null;
  isInline: boolean;
  /** In the default selection: everything but inline images. */
  selected: boolean;
}

export function messagePath(mailboxObjectId: string, messageId: string): string {
  return `/users/${encodeURIComponent(mailboxObjectId)}/messages/${encodeURIComponent(messageId)}`;
}

/** The message's summary, read app-only from the given user's mailbox; 404 if it is not there. */
export async function getMessageSummary(
  graph: GraphClient,
  mailboxObjectId: string,
  messageId: string,
): Promise<MessageSummary> {
  const body = await graph.json<unknown>({
    path: `${messagePath(mailboxObjectId, messageId)}?$select=id,subject,receivedDateTime,internetMessageId,hasAttachments,sentDateTime,conversationId,from,categories,toRecipients`,
    what: 'read message summary',
  });
  return messageSummarySchema.parse(body);
}

/**
 * A stream whose length is known. Graph normally sends Content-Length for `$value`; when it does not,
 * the bytes are counted in a first pass and fetched again, since an upload session needs the total
 * up front and mail content must not be kept at rest (no temporary file).
 */
async function sized(open: () => Promise<GraphStream>): Promise<SizedStream> {
  const first = await open();
  if (first.size !== undefined) return { body: first.body, size: first.size };
  let size = 0;
  for await (const chunk of first.body) size += chunk.byteLength;
  const second = await open();
  return { body: second.body, size };
}

function isTransferable(attachment: Attachment): boolean {
  const type = attachment['@odata.type'] ?? '#microsoft.graph.fileAttachment';
  // Reference attachments are links to cloud files: their `$value` answers 405.
  return !type.endsWith('referenceAttachment');
}

/** Inline images (logos, signatures) stay inside the .eml unless chosen; other inline parts are documents. */
function selectedByDefault(attachment: Attachment): boolean {
  return !(attachment.isInline && (attachment.contentType ?? '').toLowerCase().startsWith('image/'));
}

/** The attachments that can be transferred, with the default selection. */
export async function listAttachments(
  graph: GraphClient,
  mailboxObjectId: string,
  messageId: string,
): Promise<ListedAttachment[]> {
  const listed: ListedAttachment[] = [];
  for await (const item of graph.paginate<unknown>(
    `${messagePath(mailboxObjectId, messageId)}/attachments?$select=id,name,contentType,size,isInline`,
  )) {
    const attachment = attachmentSchema.parse(item);
    if (!isTransferable(attachment)) continue;
    listed.push({
      id: attachment.id,
      name: attachmentName(attachment),
      size: attachment.size ?? 0,
      contentType: attachment.contentType ?? null,
      isInline: attachment.isInline ?? false,
      selected: selectedByDefault(attachment),
    });
  }
  return listed;
}

function attachmentName(attachment: Attachment): string {
  // An unnamed part still deserves an extension that opens it: the content type's usual one.
  const extension = mimeTypes.extension(attachment.contentType ?? '');
  const name = attachment.name?.trim() || (extension ? `attachment.${extension}` : 'attachment');
  if ((attachment['@odata.type'] ?? '').endsWith('itemAttachment') && !/\.eml$/i.test(name))
    return `${name}.eml`;
  return name;
}

/**
 * The mail as the connector sees it: the MIME (`$value`) and each attachment's `$value`, each opened
 * as a stream only when it is written. Attachments are fetched from Graph one by one rather than
 * parsed out of the MIME, so their sizes are known before the upload and nothing is buffered.
 */
export async function loadGraphMailSource(
  graph: GraphClient,
  mailboxObjectId: string,
  messageId: string,
  choice: { attachmentIds?: string[] | undefined; includeMail?: boolean | undefined } = {},
): Promise<
  MailSource & {
    sizeHint: number;
    sender: string | null;
    senderName: string | null;
    /** The To addresses, for the file name's `{to}` and a mapped column. */
    recipients: string[];
    conversationId: string | null;
  }
> {
  const base = messagePath(mailboxObjectId, messageId);
  const summary = await getMessageSummary(graph, mailboxObjectId, messageId);
  const parts: MailPart[] = [];
  let sizeHint = 0;
  if (choice.includeMail !== false) {
    parts.push({
      key: 'message',
      name: 'message.eml',
      open: () => sized(() => graph.stream(`${base}/$value`)),
    });
  }
  const chosen = choice.attachmentIds ? new Set(choice.attachmentIds) : undefined;
  for (const attachment of await listAttachments(graph, mailboxObjectId, messageId)) {
    if (chosen ? !chosen.has(attachment.id) : !attachment.selected) continue;
    sizeHint += attachment.size;
    parts.push({
      key: `attachment:${attachment.id}`,
      name: attachment.name,
      open: () =>
        sized(() => graph.stream(`${base}/attachments/${encodeURIComponent(attachment.id)}/$value`)),
    });
  }
  const address = summary.from?.emailAddress?.address ?? '';
  return {
    messageId,
    internetMessageId: summary.internetMessageId ?? '',
    subject: summary.subject ?? '',
    receivedAt: summary.receivedDateTime ? new Date(summary.receivedDateTime) : new Date(0),
    parts,
    ...(address ? { from: { name: summary.from?.emailAddress?.name ?? '', address } } : {}),
    categories: summary.categories ?? [],
    // Read only by connectors that write the text into a record; Graph converts HTML to text.
    readText: async () => {
      const message = await graph.json<unknown>({
        path: `${base}?$select=body`,
        headers: { prefer: 'outlook.body-content-type="text"' },
        what: 'read message text',
      });
      return bodyTextSchema.parse(message).body?.content ?? '';
    },
    sizeHint,
    sender: summary.from?.emailAddress?.address ?? null,
    senderName: summary.from?.emailAddress?.name ?? null,
    recipients: (summary.toRecipients ?? []).flatMap((r) =>
      r.emailAddress?.address ? [r.emailAddress.address] : [],
    ),
    conversationId: summary.conversationId ?? null,
  };
}
