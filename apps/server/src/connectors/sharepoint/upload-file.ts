import { AppError } from '../../errors/app-error.js';
import type { GraphClient } from '../../graph/graph-client.js';
import { graphError, readGraphErrorCode } from '../../graph/graph-errors.js';
import type { SizedStream } from '../connector.js';
import { ChunkReader } from './chunk-reader.js';
import { type DriveItem, driveItemSchema, uploadSessionSchema } from './sharepoint.schemas.js';

/** Simple upload up to 4 MiB (the limit older Graph pages still state, docs/microsoft-365.md §6.4). */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
/** Fragments must be multiples of 320 KiB; ten of them keep memory small and requests few. */
export const FRAGMENT_SIZE = 10 * 320 * 1024;

export type UploadOutcome = { kind: 'written'; item: DriveItem } | { kind: 'name_taken' };

function itemPath(driveId: string, folderId: string, name: string): string {
  return `/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(folderId)}:/${encodeURIComponent(name)}:`;
}

/**
 * Writes one file into a folder with conflictBehavior `fail`: an existing name is reported as
 * `name_taken` rather than overwritten or renamed by the server, so the caller picks the next
 * number and a re-run never produces a second copy. The stream is consumed either way.
 */
export async function uploadFile(
  graph: GraphClient,
  target: { driveId: string; folderId: string; name: string },
  content: SizedStream,
  /** `onBytes` hears the bytes committed after each fragment but the last; it may reject to stop. */
  options: { fragmentSize?: number; onBytes?: (written: number) => Promise<void> } = {},
): Promise<UploadOutcome> {
  const reader = new ChunkReader(content.body);
  try {
    if (content.size <= SIMPLE_UPLOAD_LIMIT) {
      const bytes = await reader.read(content.size);
      const response = await graph.request({
        method: 'PUT',
        path: `${itemPath(target.driveId, target.folderId, target.name)}/content?@microsoft.graph.conflictBehavior=fail`,
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
        accept: [409],
        what: 'simple upload',
      });
      if (response.status === 409) {
        await response.body?.cancel();
        return { kind: 'name_taken' };
      }
      return { kind: 'written', item: driveItemSchema.parse(await response.json()) };
    }
    return await uploadInSession(
      graph,
      target,
      content.size,
      reader,
      options.fragmentSize ?? FRAGMENT_SIZE,
      options.onBytes,
    );
  } finally {
    await reader.cancel();
  }
}

async function cancelSession(graph: GraphClient, uploadUrl: string): Promise<void> {
  try {
    const response = await graph.request({
      method: 'DELETE',
      path: uploadUrl,
      anonymous: true,
      accept: [404],
      what: 'cancel upload session',
    });
    await response.body?.cancel();
  } catch {
    // Best effort: an abandoned session expires by itself.
  }
}

function nextExpectedStart(ranges: string[] | undefined): number | undefined {
  const first = ranges?.[0];
  if (!first) return undefined;
  const start = Number.parseInt(first.split('-')[0] ?? '', 10);
  return Number.isNaN(start) ? undefined : start;
}

async function uploadInSession(
  graph: GraphClient,
  target: { driveId: string; folderId: string; name: string },
  total: number,
  reader: ChunkReader,
  fragmentSize: number,
  onBytes?: (written: number) => Promise<void>,
): Promise<UploadOutcome> {
  const created = await graph.request({
    method: 'POST',
    path: `${itemPath(target.driveId, target.folderId, target.name)}/createUploadSession`,
    body: { item: { '@microsoft.graph.conflictBehavior': 'fail', name: target.name } },
    accept: [409],
    what: 'create upload session',
  });
  if (created.status === 409) {
    await created.body?.cancel();
    return { kind: 'name_taken' };
  }
  const session = uploadSessionSchema.parse(await created.json());
  let offset = 0;
  try {
    while (offset < total) {
      const fragment = await reader.read(Math.min(fragmentSize, total - offset));
      if (fragment.byteLength === 0) {
        throw new AppError(502, 'source_truncated', 'The mail ended before all of it was read.', {
          detail: `upload of ${total} bytes: source ended at ${offset}`,
        });
      }
      let sendFrom = 0;
      while (sendFrom < fragment.byteLength) {
        const start = offset + sendFrom;
        const end = offset + fragment.byteLength - 1;
        const body = fragment.subarray(sendFrom);
        const response = await graph.request({
          method: 'PUT',
          path: session.uploadUrl,
          anonymous: true,
          headers: {
            'content-range': `bytes ${start}-${end}/${total}`,
            'content-type': 'application/octet-stream',
          },
          body,
          accept: [409, 416],
          what: 'upload fragment',
        });
        if (response.status === 409) {
          await response.body?.cancel();
          await cancelSession(graph, session.uploadUrl);
          return { kind: 'name_taken' };
        }
        if (response.status === 416) {
          // A retried fragment the server had already stored: ask where it stands and carry on there.
          const code = await readGraphErrorCode(response);
          const status = uploadSessionSchema
            .partial()
            .parse(
              await graph.json({ path: session.uploadUrl, anonymous: true, what: 'upload session status' }),
            );
          const expected = nextExpectedStart(status.nextExpectedRanges);
          if (expected === undefined || expected < start || expected > end + 1) {
            throw graphError(416, code, 'upload fragment');
          }
          sendFrom = expected - offset;
          continue;
        }
        if (response.status === 200 || response.status === 201) {
          return { kind: 'written', item: driveItemSchema.parse(await response.json()) };
        }
        await response.body?.cancel();
        sendFrom = fragment.byteLength;
      }
      offset += fragment.byteLength;
      await onBytes?.(offset);
    }
  } catch (error) {
    // The session would expire on its own; cancelling frees the server's space at once.
    await cancelSession(graph, session.uploadUrl);
    throw error;
  }
  throw new AppError(502, 'upload_incomplete', 'The file could not be completed in SharePoint.', {
    detail: `upload session accepted all ${total} bytes without creating the item`,
  });
}
