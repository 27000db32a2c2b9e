/**
 * The baseline bench:transfer measures Mailissa's transfer against: the same bytes between the same
 * endpoints with nothing but fetch. The mail's MIME and each attachment are read from Graph and
 * written into the drive through upload sessions, fragment by fragment and one part after the other,
 * as the SharePoint connector does — but with no queue, no progress store, no database, no retries
 * and no Graph client of ours. Only the fragment size is shared, so both send the same requests.
 */
import { FRAGMENT_SIZE } from '../src/connectors/sharepoint/upload-file.js';

export interface PlainCopyPart {
  /** Graph path of the bytes to copy, e.g. `/users/{id}/messages/{id}/$value`. */
  source: string;
  /** The file name it gets in the folder. */
  name: string;
}

export interface CopiedFile {
  name: string;
  /** Bytes read from the source. */
  sourceBytes: number;
  /** Drive item id of the written file. */
  itemId: string;
  /** The size the drive reports for the written file. */
  size: number;
}

interface Endpoint {
  graphBaseUrl: string;
  token: string;
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`plain copy: ${what} answered ${response.status}`);
  }
  return response;
}

/** Streams one source into a new file of the folder through an upload session. */
async function copyPart(
  endpoint: Endpoint,
  target: { driveId: string; folderId: string },
  part: PlainCopyPart,
): Promise<CopiedFile> {
  const authorization = `Bearer ${endpoint.token}`;
  const source = await expectOk(
    await fetch(`${endpoint.graphBaseUrl}${part.source}`, { headers: { authorization } }),
    `GET ${part.name}`,
  );
  const total = Number(source.headers.get('content-length'));
  if (!source.body || !Number.isSafeInteger(total) || total <= 0) {
    throw new Error(`plain copy: ${part.name} came without a length`);
  }
  const created = await expectOk(
    await fetch(
      `${endpoint.graphBaseUrl}/drives/${encodeURIComponent(target.driveId)}/items/${encodeURIComponent(target.folderId)}:/${encodeURIComponent(part.name)}:/createUploadSession`,
      {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail', name: part.name } }),
      },
    ),
    `createUploadSession for ${part.name}`,
  );
  const { uploadUrl } = (await created.json()) as { uploadUrl: string };

  // One fragment buffer, reused: each PUT is answered before the next one is filled.
  const fragment = Buffer.allocUnsafe(FRAGMENT_SIZE);
  let filled = 0;
  let sent = 0;
  let item: { id: string; size: number } | undefined;
  const send = async () => {
    const response = await expectOk(
      await fetch(uploadUrl, {
        method: 'PUT',
        headers: {
          'content-range': `bytes ${sent}-${sent + filled - 1}/${total}`,
          'content-type': 'application/octet-stream',
        },
        body: fragment.subarray(0, filled),
      }),
      `fragment of ${part.name}`,
    );
    sent += filled;
    filled = 0;
    if (response.status === 200 || response.status === 201)
      item = (await response.json()) as { id: string; size: number };
    else await response.body?.cancel();
  };
  for await (const chunk of source.body) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const taken = Math.min(chunk.byteLength - offset, FRAGMENT_SIZE - filled);
      fragment.set(chunk.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === FRAGMENT_SIZE) await send();
    }
  }
  if (filled > 0) await send();
  if (sent !== total) throw new Error(`plain copy: ${part.name} ended after ${sent} of ${total} bytes`);
  if (!item) throw new Error(`plain copy: the drive did not create ${part.name}`);
  return { name: part.name, sourceBytes: sent, itemId: item.id, size: item.size };
}

/** Copies the parts one after the other, as the connector writes a mail's files. */
export async function plainGraphCopy(
  endpoint: Endpoint,
  target: { driveId: string; folderId: string },
  parts: PlainCopyPart[],
): Promise<CopiedFile[]> {
  const copied: CopiedFile[] = [];
  for (const part of parts) copied.push(await copyPart(endpoint, target, part));
  return copied;
}
