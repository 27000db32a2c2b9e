import { createReadStream } from 'node:fs';
import { rm, truncate } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { UPLOAD_SESSION_LIFETIME_MS, type UploadSession, uploadSessions } from './drive.routes.js';
import { driveItemJson, readDownloadToken } from './drive-json.js';
import { GraphError } from './graph-errors.js';
import { sendGraphJson } from './graph-request.js';
import { bodyStream, receiveBodyToFile } from './receive-body.js';

/** Fragments must be under 60 MiB and, except the last, multiples of 320 KiB (docs/microsoft-365.md §6.5). */
const MAX_FRAGMENT = 60 * 1024 * 1024;
const FRAGMENT_UNIT = 320 * 1024;

const sessionParams = z.object({ session: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
// A wildcard, not a parameter: the signed token is longer than Fastify's 100-character parameter limit.
const downloadParams = z.object({ '*': z.string().min(10).max(2000) });

function sessionStatus(session: UploadSession) {
  return {
    expirationDateTime: new Date(session.expiresAt).toISOString(),
    nextExpectedRanges: [`${session.received}-${session.total === undefined ? '' : session.total - 1}`],
  };
}

/**
 * The pre-authenticated URLs SharePoint hands out: upload session URLs (byte ranges, no
 * Authorization header) and download URLs. Both stream straight between socket and disk.
 */
export const sharePointRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  const schemaBase = { tags: ['emulator'] };

  function liveSession(id: string): UploadSession {
    const session = uploadSessions.get(id);
    if (!session || session.expiresAt < context.now().getTime()) {
      if (session) uploadSessions.delete(id);
      throw new GraphError(
        404,
        'itemNotFound',
        'The upload session was not found or has expired.',
        'uploadSessionNotFound',
      );
    }
    return session;
  }

  app.put(
    '/emulator/sharepoint/upload-sessions/:session',
    {
      schema: {
        ...schemaBase,
        summary: 'Upload session: send one byte range (Content-Range), without Authorization',
        params: sessionParams,
        headers: z.looseObject({
          'content-range': z.string().max(100).optional(),
          'content-length': z.string().max(20).optional(),
        }),
      },
    },
    async (request, reply) => {
      const refuse = (error: GraphError): never => {
        request.raw.resume();
        throw error;
      };
      if (request.headers.authorization) {
        refuse(
          new GraphError(
            401,
            'InvalidAuthenticationToken',
            'Do not send an Authorization header to an upload URL; it is pre-authenticated.',
          ),
        );
      }
      const session = liveSession(request.params.session);
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers['content-range'] ?? '');
      if (!range) {
        return refuse(
          new GraphError(
            400,
            'invalidRequest',
            'The Content-Range header must be "bytes {start}-{end}/{total}".',
          ),
        );
      }
      const start = Number(range[1]);
      const end = Number(range[2]);
      const total = Number(range[3]);
      const length = end - start + 1;
      if (end < start || end >= total) {
        return refuse(
          new GraphError(416, 'invalidRange', `The range ${start}-${end} is not within 0-${total - 1}.`),
        );
      }
      if (
        request.headers['content-length'] !== undefined &&
        Number(request.headers['content-length']) !== length
      ) {
        return refuse(
          new GraphError(400, 'invalidRequest', 'Content-Length does not match the length of Content-Range.'),
        );
      }
      if (session.total !== undefined && session.total !== total) {
        return refuse(
          new GraphError(
            416,
            'invalidRange',
            `The total size ${total} differs from the session's ${session.total}.`,
            'fragmentLengthMismatch',
          ),
        );
      }
      if (start < session.received) {
        return refuse(
          new GraphError(
            416,
            'invalidRange',
            'The fragment overlaps data already received.',
            'fragmentOverlap',
          ),
        );
      }
      if (start > session.received) {
        return refuse(
          new GraphError(
            416,
            'invalidRange',
            `Fragments must arrive in order; expected a fragment starting at ${session.received}.`,
            'fragmentOutOfOrder',
          ),
        );
      }
      if (length > MAX_FRAGMENT) {
        return refuse(
          new GraphError(
            400,
            'invalidRequest',
            'A fragment must be smaller than 60 MiB.',
            'fragmentTooLarge',
          ),
        );
      }
      if (end + 1 < total && length % FRAGMENT_UNIT !== 0) {
        return refuse(
          new GraphError(
            400,
            'invalidRequest',
            'Every fragment but the last must be a multiple of 320 KiB (327,680 bytes).',
            'fragmentSizeInvalid',
          ),
        );
      }
      if (session.busy) {
        return refuse(
          new GraphError(409, 'resourceModified', 'Another fragment of this session is being received.'),
        );
      }
      session.busy = true;
      try {
        let received: number;
        try {
          received = await receiveBodyToFile(bodyStream(request), session.file, {
            start,
            flags: 'r+',
            limit: length,
          });
        } catch (error) {
          await truncate(session.file, session.received);
          if (error instanceof Error && error.name === 'BodyTooLargeError') {
            throw new GraphError(400, 'invalidRequest', 'The body is longer than its Content-Range.');
          }
          throw error;
        }
        if (received !== length) {
          await truncate(session.file, session.received);
          throw new GraphError(400, 'invalidRequest', `Received ${received} bytes for a range of ${length}.`);
        }
        session.total = total;
        session.received += received;
        session.expiresAt = context.now().getTime() + UPLOAD_SESSION_LIFETIME_MS;
        if (session.received < total) return sendGraphJson(reply, sessionStatus(session), 202);
        const drive = await context.drives.driveById(session.driveId);
        if (!drive) throw new GraphError(404, 'itemNotFound', 'The drive no longer exists.');
        const result = await context.drives.commitFile({
          drive,
          parentId: session.parentId,
          name: session.name,
          behavior: session.behavior,
          uploadedFile: session.file,
          replaceItemId: session.replaceItemId,
          by: session.by,
        });
        uploadSessions.delete(session.id);
        return sendGraphJson(reply, driveItemJson(context, drive, result.item), result.created ? 201 : 200);
      } finally {
        session.busy = false;
      }
    },
  );

  app.get(
    '/emulator/sharepoint/upload-sessions/:session',
    { schema: { ...schemaBase, summary: 'Upload session: status for resuming', params: sessionParams } },
    async (request, reply) => sendGraphJson(reply, sessionStatus(liveSession(request.params.session))),
  );

  app.delete(
    '/emulator/sharepoint/upload-sessions/:session',
    { schema: { ...schemaBase, summary: 'Upload session: cancel', params: sessionParams } },
    async (request, reply) => {
      const session = liveSession(request.params.session);
      uploadSessions.delete(session.id);
      await rm(session.file, { force: true });
      return reply.status(204).send();
    },
  );

  app.get(
    '/emulator/sharepoint/download/*',
    {
      schema: { ...schemaBase, summary: 'Pre-authenticated download URL of a file', params: downloadParams },
    },
    async (request, reply) => {
      const target = readDownloadToken(context, request.params['*']);
      const drive = target ? await context.drives.driveById(target.driveId) : undefined;
      const item = target && drive ? context.drives.item(drive, target.itemId) : undefined;
      if (!drive || !item || item.folder) {
        throw new GraphError(404, 'itemNotFound', 'The download URL is invalid or has expired.');
      }
      const file = context.drives.contentPath(drive, item.id);
      const rangeHeader = request.headers.range;
      const range = rangeHeader ? /^bytes=(\d*)-(\d*)$/.exec(rangeHeader) : null;
      reply
        .type(item.mimeType ?? 'application/octet-stream')
        .header('accept-ranges', 'bytes')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`);
      if (range && (range[1] || range[2])) {
        const start = range[1] ? Number(range[1]) : Math.max(0, item.size - Number(range[2]));
        const end = range[1] && range[2] ? Math.min(Number(range[2]), item.size - 1) : item.size - 1;
        if (start > end || start >= item.size) {
          return reply.status(416).header('content-range', `bytes */${item.size}`).send();
        }
        return reply
          .status(206)
          .header('content-range', `bytes ${start}-${end}/${item.size}`)
          .header('content-length', String(end - start + 1))
          .send(createReadStream(file, { start, end }));
      }
      return reply.header('content-length', String(item.size)).send(createReadStream(file));
    },
  );
};
