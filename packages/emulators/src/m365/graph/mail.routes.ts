import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { deterministicBytes } from '../seed/deterministic-id.js';
import { PERMISSIONS } from './graph-auth.js';
import { GraphError, itemNotFoundInStore } from './graph-errors.js';
import { mailboxOwnerOf, queryOf, requirePermission, sendGraphJson } from './graph-request.js';
import type { MailAttachment, StoredMessage } from './mailbox-store.js';
import { ewsIdToRestId } from './message-ids.js';
import { applySelect, pageOf, parseSelect, parseTop } from './odata.js';
import { compileFilter, resolvePath } from './odata-filter.js';

const text = z.string().max(4096).optional();
const listQuery = z.looseObject({
  $top: text,
  $skip: z.string().regex(/^\d+$/).optional(),
  $select: text,
  $filter: text,
  $search: text,
  $orderby: text,
  $count: z.enum(['true', 'false']).optional(),
});
const entityQuery = z.looseObject({ $select: text });
const messageParams = z.object({ message: z.string().min(1).max(512) });
const userMessageParams = messageParams.extend({ user: z.string().min(1).max(320) });
const attachmentParams = messageParams.extend({ attachment: z.string().min(1).max(512) });
const userAttachmentParams = attachmentParams.extend({ user: z.string().min(1).max(320) });
const userParams = z.object({ user: z.string().min(1).max(320) });
const patchBody = z.looseObject({
  categories: z.array(z.string().min(1).max(255)).max(25).optional(),
  isRead: z.boolean().optional(),
});

export const MESSAGE_PROPERTIES = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'uniqueBody',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
  'internetMessageHeaders',
  'meetingMessageType',
];
const MESSAGE_FILTERABLE = [
  'id',
  'subject',
  'conversationId',
  'internetMessageId',
  'hasAttachments',
  'receivedDateTime',
  'sentDateTime',
  'isRead',
  'importance',
  'from/emailAddress/address',
  'sender/emailAddress/address',
];
const ATTACHMENT_PROPERTIES = [
  'id',
  'lastModifiedDateTime',
  'name',
  'contentType',
  'size',
  'isInline',
  'contentId',
  'contentLocation',
  'contentBytes',
];

export function changeKey(message: StoredMessage): string {
  return createHash('sha256').update(`${message.id}:${message.changeCount}`).digest('base64').slice(0, 40);
}

export function inboxId(userId: string): string {
  return ewsIdToRestId(deterministicBytes(`inbox:${userId}`, 46).toString('base64'));
}

/** Graph's `message` resource (docs/microsoft-365.md §5.5) for one stored message. */
export function messageJson(
  context: EmulatorContext,
  message: StoredMessage,
  options: { preferText: boolean; withHeaders: boolean },
): Record<string, unknown> {
  const { content } = message;
  const html = content.bodyHtml !== null && !options.preferText;
  const body = html
    ? { contentType: 'html', content: content.bodyHtml }
    : { contentType: 'text', content: content.bodyText };
  const key = changeKey(message);
  return {
    ...(content.meetingRequest ? { '@odata.type': '#microsoft.graph.eventMessageRequest' } : {}),
    '@odata.etag': `W/"${key}"`,
    id: message.id,
    createdDateTime: content.date,
    lastModifiedDateTime: message.lastModifiedDateTime,
    changeKey: key,
    categories: message.categories,
    receivedDateTime: content.date,
    sentDateTime: content.date,
    hasAttachments: message.attachments.some((a) => !a.isInline),
    internetMessageId: content.internetMessageId,
    subject: content.subject,
    bodyPreview: content.bodyPreview,
    importance: content.importance,
    parentFolderId: inboxId(message.userId),
    conversationId: message.conversationId,
    conversationIndex: deterministicBytes(`conversation-index:${message.conversationId}`, 22).toString(
      'base64',
    ),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: message.isRead,
    isDraft: false,
    webLink: `${context.emulatorBase}/outlook?ItemID=${encodeURIComponent(message.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body,
    sender: message.from,
    from: message.from,
    toRecipients: message.to,
    ccRecipients: message.cc,
    bccRecipients: message.bcc,
    replyTo: message.replyTo,
    flag: { flagStatus: 'notFlagged' },
    ...(content.meetingRequest ? { meetingMessageType: 'meetingRequest' } : {}),
    ...(options.withHeaders ? { internetMessageHeaders: content.headers } : {}),
  };
}

function attachmentJson(
  message: StoredMessage,
  attachment: MailAttachment,
  withContent: boolean,
): Record<string, unknown> {
  const common = {
    id: attachment.id,
    lastModifiedDateTime: message.lastModifiedDateTime,
    name: attachment.name,
    contentType: attachment.contentType,
    size: attachment.size,
    isInline: attachment.isInline,
  };
  if (attachment.kind === 'item') {
    return { '@odata.type': '#microsoft.graph.itemAttachment', ...common };
  }
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    '@odata.mediaContentType': attachment.contentType,
    ...common,
    contentId: attachment.contentId,
    contentLocation: null,
    ...(withContent ? { contentBytes: attachment.content.toString('base64') } : {}),
  };
}

/** Messages (docs/microsoft-365.md §5.5–5.9) of `/me` and, for app-only tokens, of `/users/{id|upn}`. */
export const mailRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (app, { context }) => {
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  /** The mailbox owner, once the token may read (or write) mail there. */
  function mailboxOwner(request: FastifyRequest, userKey: string | undefined, write = false): string {
    const { principal, ownerId, shared } = mailboxOwnerOf(context, request, userKey);
    const permission = shared
      ? write
        ? PERMISSIONS.writeSharedMail
        : PERMISSIONS.readSharedMail
      : write
        ? PERMISSIONS.writeMail
        : PERMISSIONS.readMail;
    requirePermission(principal, permission, 'mail');
    return ownerId;
  }

  function findMessage(ownerId: string, id: string): StoredMessage {
    const message = context.mailboxes.message(ownerId, id);
    if (!message) throw itemNotFoundInStore();
    return message;
  }

  function findAttachment(message: StoredMessage, id: string): MailAttachment {
    const attachment = message.attachments.find((a) => a.id === id);
    if (!attachment) throw itemNotFoundInStore();
    return attachment;
  }

  const preferText = (request: FastifyRequest) =>
    /outlook\.body-content-type\s*=\s*"?text"?/i.test(String(request.headers.prefer ?? ''));

  function listMessages(request: FastifyRequest, reply: FastifyReply, userKey: string | undefined) {
    const ownerId = mailboxOwner(request, userKey);
    const query = queryOf(request);
    const select = parseSelect(query.$select, MESSAGE_PROPERTIES, 'microsoft.graph.message');
    const options = {
      preferText: preferText(request),
      withHeaders: select?.includes('internetMessageHeaders') ?? false,
    };
    let entities = context.mailboxes.messages(ownerId).map((m) => messageJson(context, m, options));
    if (query.$search !== undefined && (query.$filter !== undefined || query.$orderby !== undefined)) {
      throw new GraphError(
        400,
        'ErrorInvalidUrlQuery',
        'The query parameter $search cannot be combined with $filter or $orderby.',
      );
    }
    if (query.$search !== undefined) {
      const needle = query.$search.replace(/^"|"$/g, '').toLowerCase();
      entities = entities.filter((m) =>
        [
          m.subject,
          m.bodyPreview,
          resolvePath(m, 'from/emailAddress/address'),
          resolvePath(m, 'from/emailAddress/name'),
        ].some((value) => typeof value === 'string' && value.toLowerCase().includes(needle)),
      );
    }
    if (query.$filter !== undefined) {
      const filter = compileFilter(query.$filter, MESSAGE_FILTERABLE, 'microsoft.graph.message');
      entities = entities.filter((m) => filter.test((property) => resolvePath(m, property)));
    }
    if (query.$orderby !== undefined) {
      const match = /^(receivedDateTime|sentDateTime|subject)(\s+(asc|desc))?$/i.exec(query.$orderby.trim());
      if (!match?.[1])
        throw new GraphError(400, 'ErrorInvalidProperty', `Unsupported $orderby '${query.$orderby}'.`);
      const property = match[1];
      const direction = match[3]?.toLowerCase() === 'desc' ? -1 : 1;
      entities = [...entities].sort(
        (a, b) => direction * String(a[property]).localeCompare(String(b[property])),
      );
    }
    const top = parseTop(query.$top, 1000, 10);
    const offset = query.$skip === undefined ? 0 : Number(query.$skip);
    const base = `${context.graphBase}/${userKey === undefined ? 'me' : `users/${encodeURIComponent(userKey)}`}/messages`;
    const page = pageOf({ items: entities, offset, top, url: base, query, pageParameter: '$skip' });
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${ownerId}')/messages${select ? `(${select.join(',')})` : ''}`,
      ...(query.$count === 'true' ? { '@odata.count': entities.length } : {}),
      value: page.value.map((m) => applySelect(m, select, ['id'])),
      ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
    });
  }

  function getMessage(request: FastifyRequest, reply: FastifyReply, userKey: string | undefined, id: string) {
    const ownerId = mailboxOwner(request, userKey);
    const message = findMessage(ownerId, id);
    const select = parseSelect(queryOf(request).$select, MESSAGE_PROPERTIES, 'microsoft.graph.message');
    const prefersText = preferText(request);
    if (prefersText) reply.header('Preference-Applied', 'outlook.body-content-type="text"');
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${ownerId}')/messages${select ? `(${select.join(',')})` : ''}/$entity`,
      ...applySelect(
        messageJson(context, message, {
          preferText: prefersText,
          withHeaders: select?.includes('internetMessageHeaders') ?? false,
        }),
        select,
        ['id'],
      ),
    });
  }

  function streamMime(request: FastifyRequest, reply: FastifyReply, userKey: string | undefined, id: string) {
    const message = findMessage(mailboxOwner(request, userKey), id);
    // The stored buffers go out as they are: byte for byte, without copying the large ones.
    return reply
      .type('text/plain')
      .header('content-length', String(message.size))
      .send(Readable.from(message.mime, { objectMode: false }));
  }

  function patchMessage(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    id: string,
    body: z.infer<typeof patchBody>,
  ) {
    const ownerId = mailboxOwner(request, userKey, true);
    const message = findMessage(ownerId, id);
    if (body.categories !== undefined) context.mailboxes.setCategories(message, body.categories);
    if (body.isRead !== undefined) context.mailboxes.setRead(message, body.isRead);
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${ownerId}')/messages/$entity`,
      ...messageJson(context, message, { preferText: false, withHeaders: false }),
    });
  }

  function listAttachments(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    id: string,
  ) {
    const ownerId = mailboxOwner(request, userKey);
    const message = findMessage(ownerId, id);
    const select = parseSelect(queryOf(request).$select, ATTACHMENT_PROPERTIES, 'microsoft.graph.attachment');
    const withContent = select === undefined || select.includes('contentBytes');
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${ownerId}')/messages('${message.id}')/attachments${
        select ? `(${select.join(',')})` : ''
      }`,
      value: message.attachments.map((a) =>
        applySelect(attachmentJson(message, a, withContent), select, ['id']),
      ),
    });
  }

  function getAttachment(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    id: string,
    attachmentId: string,
  ) {
    const ownerId = mailboxOwner(request, userKey);
    const message = findMessage(ownerId, id);
    const attachment = findAttachment(message, attachmentId);
    const select = parseSelect(queryOf(request).$select, ATTACHMENT_PROPERTIES, 'microsoft.graph.attachment');
    const withContent = select === undefined || select.includes('contentBytes');
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#users('${ownerId}')/messages('${message.id}')/attachments/$entity`,
      ...applySelect(attachmentJson(message, attachment, withContent), select, ['id']),
    });
  }

  function attachmentValue(
    request: FastifyRequest,
    reply: FastifyReply,
    userKey: string | undefined,
    id: string,
    attachmentId: string,
  ) {
    const message = findMessage(mailboxOwner(request, userKey), id);
    const attachment = findAttachment(message, attachmentId);
    return reply
      .type(
        attachment.kind === 'item'
          ? 'message/rfc822'
          : (attachment.contentType ?? 'application/octet-stream'),
      )
      .header('content-length', String(attachment.content.length))
      .send(attachment.content);
  }

  // `/me/…` and `/users/{id|upn}/…` share every handler; only the mailbox owner differs.
  app.get(
    '/me/messages',
    { schema: { ...schemaBase, summary: 'Graph: messages of the signed-in user', querystring: listQuery } },
    (request, reply) => listMessages(request, reply, undefined),
  );
  app.get(
    '/users/:user/messages',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: messages of a user's mailbox",
        params: userParams,
        querystring: listQuery,
      },
    },
    (request, reply) => listMessages(request, reply, request.params.user),
  );
  app.get(
    '/me/messages/:message',
    {
      schema: { ...schemaBase, summary: 'Graph: a message', params: messageParams, querystring: entityQuery },
    },
    (request, reply) => getMessage(request, reply, undefined, request.params.message),
  );
  app.get(
    '/users/:user/messages/:message',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: a message of a user's mailbox",
        params: userMessageParams,
        querystring: entityQuery,
      },
    },
    (request, reply) => getMessage(request, reply, request.params.user, request.params.message),
  );
  app.patch(
    '/me/messages/:message',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: update categories or read state of a message',
        params: messageParams,
        body: patchBody,
      },
    },
    (request, reply) => patchMessage(request, reply, undefined, request.params.message, request.body),
  );
  app.patch(
    '/users/:user/messages/:message',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: update a message of a user's mailbox",
        params: userMessageParams,
        body: patchBody,
      },
    },
    (request, reply) =>
      patchMessage(request, reply, request.params.user, request.params.message, request.body),
  );
  app.get(
    '/me/messages/:message/$value',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: the MIME of a message, byte for byte',
        params: messageParams,
      },
    },
    (request, reply) => streamMime(request, reply, undefined, request.params.message),
  );
  app.get(
    '/users/:user/messages/:message/$value',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: the MIME of a message of a user's mailbox",
        params: userMessageParams,
      },
    },
    (request, reply) => streamMime(request, reply, request.params.user, request.params.message),
  );
  app.get(
    '/me/messages/:message/attachments',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: attachments of a message',
        params: messageParams,
        querystring: entityQuery,
      },
    },
    (request, reply) => listAttachments(request, reply, undefined, request.params.message),
  );
  app.get(
    '/users/:user/messages/:message/attachments',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: attachments of a message of a user's mailbox",
        params: userMessageParams,
        querystring: entityQuery,
      },
    },
    (request, reply) => listAttachments(request, reply, request.params.user, request.params.message),
  );
  app.get(
    '/me/messages/:message/attachments/:attachment',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: one attachment',
        params: attachmentParams,
        querystring: entityQuery,
      },
    },
    (request, reply) =>
      getAttachment(request, reply, undefined, request.params.message, request.params.attachment),
  );
  app.get(
    '/users/:user/messages/:message/attachments/:attachment',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: one attachment of a user's message",
        params: userAttachmentParams,
        querystring: entityQuery,
      },
    },
    (request, reply) =>
      getAttachment(request, reply, request.params.user, request.params.message, request.params.attachment),
  );
  app.get(
    '/me/messages/:message/attachments/:attachment/$value',
    { schema: { ...schemaBase, summary: 'Graph: raw content of an attachment', params: attachmentParams } },
    (request, reply) =>
      attachmentValue(request, reply, undefined, request.params.message, request.params.attachment),
  );
  app.get(
    '/users/:user/messages/:message/attachments/:attachment/$value',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: raw content of an attachment of a user's message",
        params: userAttachmentParams,
      },
    },
    (request, reply) =>
      attachmentValue(request, reply, request.params.user, request.params.message, request.params.attachment),
  );
};
