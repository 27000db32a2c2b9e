import { z } from 'zod';
import type { GraphClient } from '../../graph/graph-client.js';
import type { ConnectorContext, MailSource, TransferProgress, WrittenFile } from '../connector.js';
import { sharePointConnector } from '../sharepoint/sharepoint-connector.js';

const placedItemSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  webUrl: z.string(),
  eTag: z.string().optional(),
});

export interface PlacedFile extends WrittenFile {
  itemId: string;
  webUrl: string;
  /** The GUID of the item's eTag `"{GUID},n"`: what a Teams reference attachment uses as its id. */
  guid: string | null;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * Writes the mail's files into a folder of a drive exactly as the SharePoint connector does (safe and
 * unique names, upload sessions above 4 MiB, resumable after a crash), but as the user, then reads
 * back each file's id and web address for the message, task or reference that points at it.
 */
export async function writeFilesAsUser(
  context: ConnectorContext,
  userGraph: GraphClient,
  target: { driveId: string; folderPath: string },
  mail: MailSource,
  progress: TransferProgress,
): Promise<{ folderUrl: string | null; files: PlacedFile[] }> {
  const written = await sharePointConnector.transferMail(
    { ...context, graph: userGraph },
    { driveId: target.driveId, folderPath: target.folderPath },
    mail,
    progress,
  );
  const files: PlacedFile[] = [];
  for (const file of written.files) {
    const path = target.folderPath ? `${target.folderPath}/${file.name}` : file.name;
    const item = placedItemSchema.parse(
      await userGraph.json({
        path: `/drives/${encodeURIComponent(target.driveId)}/root:/${encodePath(path)}:?$select=id,name,webUrl,eTag`,
        what: 'read written file',
      }),
    );
    const guid = /\{([0-9A-Fa-f-]{36})\}/.exec(item.eTag ?? '')?.[1] ?? null;
    files.push({ ...file, itemId: item.id, webUrl: item.webUrl, guid });
  }
  return { folderUrl: written.url, files };
}
