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
});
export type MessageSummary = z.infer<typeof messageSummarySchema>;

const attachmentSchema = z.looseObject({
  '@odata.type': z.string().optional(),
  id: z.string(),
  name: z.string().nullable().optional(),
  contentType: z.string().nullable().optional(),
  isInline: z.boolean().optional(),
});
type Attachment = z.infer<typeof attachmentSchema>;

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
    path: `${messagePath(mailboxObjectId, messageId)}?$select=id,subject,receivedDateTime,internetMessageId,hasAttachments`,
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
  if (type.endsWith('referenceAttachment')) return false;
  // Inline images (logos, signatures) stay inside the .eml; other inline parts are real documents.
  if (attachment.isInline && (attachment.contentType ?? '').toLowerCase().startsWith('image/')) return false;
  return true;
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
): Promise<MailSource> {
  const base = messagePath(mailboxObjectId, messageId);
  const summary = await getMessageSummary(graph, mailboxObjectId, messageId);
  const parts: MailPart[] = [
    { key: 'message', name: 'message.eml', open: () => sized(() => graph.stream(`${base}/$value`)) },
  ];
  for await (const item of graph.paginate<unknown>(
    `${base}/attachments?$select=id,name,contentType,size,isInline`,
  )) {
    const attachment = attachmentSchema.parse(item);
    if (!isTransferable(attachment)) continue;
    parts.push({
      key: `attachment:${attachment.id}`,
      name: attachmentName(attachment),
      open: () =>
        sized(() => graph.stream(`${base}/attachments/${encodeURIComponent(attachment.id)}/$value`)),
    });
  }
  return {
    messageId,
    internetMessageId: summary.internetMessageId ?? '',
    subject: summary.subject ?? '',
    receivedAt: summary.receivedDateTime ? new Date(summary.receivedDateTime) : new Date(0),
    parts,
  };
}
