import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import mimeTypes from 'mime-types';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { withTenant } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { errorResponses } from '../../http/error-schemas.js';
import type { StoredTransferOptions } from '../../transfer/create-transfer.js';
import { loadGraphMailSource } from '../../transfer/graph-mail-source.js';
import { partFileName } from '../rest-target/mail-fields.js';
import { DOWNLOAD_LINK_PURPOSE, DOWNLOAD_ROUTE, verifyDownloadToken } from './download-links.js';

/** Links stay usable while the transfer is under way or done; a cancelled or failed one takes them along. */
const LIVE_STATES = ['queued', 'running', 'done'];

/** `filename*` (RFC 6266/8187) for any name, with a plain ASCII fallback. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * `GET /api/transfer-downloads/:token`: one part of a transfer (the mail's MIME or an attachment),
 * streamed from Microsoft 365 as the transfer worker would read it, for whoever holds the signed
 * link a webhook carried. No session: the link is the authorisation, valid until it expires.
 */
export const downloadLinkRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const key = context.credentials.derive(DOWNLOAD_LINK_PURPOSE);
  app.get(
    `${DOWNLOAD_ROUTE}/:token`,
    {
      schema: {
        tags: ['transfer'],
        summary: 'A file of a transfer, by the signed, short-lived link a webhook carried (no sign-in)',
        params: z.object({ token: z.string().min(1).max(1000) }),
        response: {
          200: z.unknown().describe("The file's bytes, with its type and name in the headers"),
          ...errorResponses(404, 503),
        },
      },
    },
    async (request, reply) => {
      const claims = verifyDownloadToken(key, request.params.token, context.now());
      const transfer = await withTenant(context.db, claims.tenantId, async (tx) => {
        const found = await tx.query<{
          state: string;
          mailbox_object_id: string;
          message_id: string;
          options: StoredTransferOptions;
          microsoft_tenant_id: string;
        }>(
          `select t.state, t.mailbox_object_id, t.message_id, t.options, n.microsoft_tenant_id
             from transfers t join tenants n on n.id = t.tenant_id
            where t.tenant_id = $1 and t.id = $2`,
          [claims.tenantId, claims.transferId],
        );
        return found.rows[0];
      });
      if (!transfer || !LIVE_STATES.includes(transfer.state)) {
        throw new AppError(404, 'download_link_invalid', 'The transfer behind this link no longer exists.');
      }
      const graph = context.graphFor(transfer.microsoft_tenant_id, { profile: 'request' });
      const mail = await loadGraphMailSource(
        graph,
        transfer.mailbox_object_id,
        transfer.message_id,
        transfer.options,
      );
      const part = mail.parts.find((candidate) => candidate.key === claims.partKey);
      if (!part) throw new AppError(404, 'download_link_invalid', 'This file is not part of the transfer.');
      const opened = await part.open();
      // The name and type the webhook's payload announced for this file.
      const name = partFileName(mail, part);
      const type =
        part.key === 'message' ? 'message/rfc822' : mimeTypes.lookup(name) || 'application/octet-stream';
      return reply
        .header('content-type', type)
        .header('content-length', String(opened.size))
        .header('content-disposition', contentDisposition(name))
        .send(Readable.fromWeb(opened.body as NodeWebStream<Uint8Array>));
    },
  );
};
