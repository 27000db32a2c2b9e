import { randomInt } from 'node:crypto';
import type { TargetColumn } from '@mailissa/contracts';
import { AppError } from '../../errors/app-error.js';
import type { GraphClient } from '../../graph/graph-client.js';
import { graphFailureOf } from '../../graph/graph-errors.js';
import type { Connector, MailPart, TransferProgress, WrittenFile } from '../connector.js';
import {
  folderPathProblem,
  mailFileName,
  maxNameLengthIn,
  normaliseFolderPath,
  numberedFileName,
  safeFileName,
  taggedFileName,
} from './safe-file-name.js';
import {
  type ColumnDefinition,
  columnDefinitionSchema,
  type DriveItem,
  driveItemSchema,
  type SharePointSettings,
  sharePointSettingsSchema,
} from './sharepoint.schemas.js';
import { uploadFile } from './upload-file.js';

/**
 * Numbered names tried before a random tag: `scan (2).pdf` … `scan (5).pdf`, then `scan (k3x9q2).pdf`.
 * Probing a hundred numbers cost a hundred requests and then failed for good; a random tag of six
 * characters from 36 practically never collides, so a few tries always find a free name.
 */
const NUMBERED_ATTEMPTS = 5;
const TAGGED_ATTEMPTS = 5;
const TAG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomTag(): string {
  let tag = '';
  for (let i = 0; i < 6; i++) tag += TAG_ALPHABET[randomInt(TAG_ALPHABET.length)];
  return tag;
}

/** Name candidates for a part, in the order they are tried. */
function* candidateNames(baseName: string, maxLength: number): Generator<string> {
  for (let number = 1; number <= NUMBERED_ATTEMPTS; number++)
    yield numberedFileName(baseName, number, maxLength);
  for (let i = 0; i < TAGGED_ATTEMPTS; i++) yield taggedFileName(baseName, randomTag(), maxLength);
}

/** The target's folder joined with the transfer's subfolder, checked like the settings' path. */
export function joinedFolderPath(settings: SharePointSettings, subfolder: string | undefined): string {
  if (!subfolder) return settings.folderPath;
  const problem = folderPathProblem(subfolder);
  if (problem) throw new AppError(400, 'invalid_subfolder', `subfolder ${problem}`);
  const clean = normaliseFolderPath(subfolder);
  if (clean === '') return settings.folderPath;
  const joined = settings.folderPath ? `${settings.folderPath}/${clean}` : clean;
  if (joined.length > 300) throw new AppError(400, 'invalid_subfolder', 'subfolder makes the path too long');
  return joined;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function driveBase(driveId: string): string {
  return `/drives/${encodeURIComponent(driveId)}`;
}

async function getItem(graph: GraphClient, path: string): Promise<DriveItem | undefined> {
  const response = await graph.request({ path, accept: [404], what: 'look up drive item' });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return driveItemSchema.parse(await response.json());
}

function itemByPath(driveId: string, path: string): string {
  return path === '' ? `${driveBase(driveId)}/root` : `${driveBase(driveId)}/root:/${encodePath(path)}:`;
}

/** The target folder, created segment by segment when missing (docs/microsoft-365.md §6.3). */
export async function ensureFolder(
  graph: GraphClient,
  driveId: string,
  folderPath: string,
): Promise<DriveItem> {
  const existing = await getItem(graph, itemByPath(driveId, folderPath));
  if (existing) {
    if (!existing.folder) {
      throw new AppError(409, 'target_folder_is_file', 'The target folder is a file in SharePoint.');
    }
    return existing;
  }
  let parent = await getItem(graph, itemByPath(driveId, ''));
  if (!parent) throw new AppError(404, 'drive_not_found', 'The target library was not found in SharePoint.');
  const segments = folderPath.split('/');
  for (let i = 0; i < segments.length; i++) {
    const path = segments.slice(0, i + 1).join('/');
    const found = await getItem(graph, itemByPath(driveId, path));
    if (found) {
      parent = found;
      continue;
    }
    const response = await graph.request({
      method: 'POST',
      path: `${driveBase(driveId)}/items/${encodeURIComponent(parent.id)}/children`,
      body: { name: segments[i], folder: {}, '@microsoft.graph.conflictBehavior': 'fail' },
      accept: [409],
      what: 'create folder',
    });
    if (response.status === 409) {
      // Someone created it in between: use theirs.
      await response.body?.cancel();
      const raced = await getItem(graph, itemByPath(driveId, path));
      if (!raced)
        throw new AppError(409, 'target_folder_conflict', 'The target folder could not be created.');
      parent = raced;
    } else {
      parent = driveItemSchema.parse(await response.json());
    }
  }
  return parent;
}

/**
 * Writes one part under a safe, unused name. A part recorded as reserved by an earlier attempt that
 * already landed (same name, same size) is only marked done, so a crash between the upload and the
 * bookkeeping does not produce a second copy.
 */
async function writePart(
  graph: GraphClient,
  target: { driveId: string; folderPath: string; folder: DriveItem },
  part: MailPart,
  baseName: string,
  progress: TransferProgress,
  maxLength: number,
): Promise<WrittenFile> {
  const folderPathOf = (name: string) => (target.folderPath ? `${target.folderPath}/${name}` : name);
  const recorded = await progress.recorded(part.key);
  if (recorded?.done)
    return { key: part.key, name: recorded.name, size: recorded.size, location: recorded.location };
  if (recorded) {
    const landed = await getItem(graph, itemByPath(target.driveId, folderPathOf(recorded.name)));
    if (landed?.file && landed.size === recorded.size) {
      await progress.done(part.key, recorded.name, recorded.size, landed.id);
      return { key: part.key, name: recorded.name, size: recorded.size, location: landed.id };
    }
  }
  for (const name of candidateNames(baseName, maxLength)) {
    // Probing first saves streaming a large file only to hear "name taken" at commit.
    if (await getItem(graph, itemByPath(target.driveId, folderPathOf(name)))) continue;
    const content = await part.open();
    await progress.reserve(part.key, name, content.size);
    const outcome = await uploadFile(
      graph,
      { driveId: target.driveId, folderId: target.folder.id, name },
      content,
      {
        onBytes: async (written) => {
          await progress.bytes?.(part.key, written);
        },
      },
    );
    if (outcome.kind === 'name_taken') continue;
    await progress.done(part.key, name, content.size, outcome.item.id);
    // After `done`, so a cancel noticed here still finds this file to delete.
    await progress.bytes?.(part.key, content.size);
    return { key: part.key, name, size: content.size, location: outcome.item.id };
  }
  // Ten taken names including five random ones: the folder is being raced on purpose.
  throw new AppError(409, 'too_many_name_collisions', 'No free file name was found in the target folder.');
}

async function deleteItem(graph: GraphClient, path: string): Promise<void> {
  const response = await graph.request({
    method: 'DELETE',
    path,
    accept: [404],
    what: 'delete written file',
  });
  await response.body?.cancel();
}

/** A column as the portal's mapping offers it: Mailissa writes text, notes, dates and open choices. */
function toTargetColumn(column: ColumnDefinition): TargetColumn {
  const type: TargetColumn['type'] = column.text
    ? column.text.allowMultipleLines
      ? 'note'
      : 'text'
    : column.dateTime
      ? 'dateTime'
      : column.choice
        ? 'choice'
        : 'other';
  // A closed choice column refuses any value outside its list, and a mail field is free text.
  const fits = type === 'choice' ? column.choice?.allowTextEntry === true : type !== 'other';
  return {
    name: column.name,
    displayName: column.displayName || column.name,
    type,
    writable: fits && !column.readOnly && !column.hidden,
  };
}

/** The library's columns, read through the drive's `list` relationship. */
export async function libraryColumns(graph: GraphClient, driveId: string): Promise<TargetColumn[]> {
  const columns: TargetColumn[] = [];
  for await (const item of graph.paginate<unknown>(`${driveBase(driveId)}/list/columns`)) {
    columns.push(toTargetColumn(columnDefinitionSchema.parse(item)));
  }
  return columns;
}

/**
 * Writes the mapped mail fields into the list item of each written file (`PATCH …/listItem/fields`,
 * which changes only the fields it names). Idempotent, so a re-run after a crash writes them again.
 */
async function writeMetadata(
  graph: GraphClient,
  driveId: string,
  files: WrittenFile[],
  metadata: Record<string, string> | undefined,
): Promise<void> {
  if (!metadata || Object.keys(metadata).length === 0) return;
  for (const file of files) {
    if (!file.location) continue;
    await graph.request({
      method: 'PATCH',
      path: `${driveBase(driveId)}/items/${encodeURIComponent(file.location)}/listItem/fields`,
      body: metadata,
      what: 'write list item fields',
    });
  }
}

export const sharePointConnector: Connector<SharePointSettings> = {
  type: 'sharepoint',
  names: { en: 'SharePoint / OneDrive', de: 'SharePoint / OneDrive' },
  picker: 'sharepoint',
  credentialKind: 'none',
  capabilities: ['write_files', 'field_mapping'],
  settingsSchema: sharePointSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'driveId',
        kind: 'sharepoint_drive',
        required: true,
        label: { en: 'Document library', de: 'Dokumentbibliothek' },
      },
      {
        key: 'folderPath',
        kind: 'sharepoint_folder',
        required: false,
        label: { en: 'Folder', de: 'Ordner' },
        help: {
          en: 'Created if missing, e.g. Projects/Alpha',
          de: 'Wird angelegt, falls nötig, z. B. Projekte/Alpha',
        },
      },
    ];
  },

  validateSettings(input) {
    const parsed = sharePointSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'settings';
      throw new AppError(400, 'invalid_settings', `settings.${field}: ${issue?.message ?? 'is invalid'}`);
    }
    return parsed.data;
  },

  /**
   * Proves Mailissa can write there: writes a small probe file into the folder (or, while the folder
   * does not exist yet, into the library's root) and deletes it again.
   */
  async testConnection({ graph }, settings) {
    try {
      const folder =
        (await getItem(graph, itemByPath(settings.driveId, settings.folderPath))) ??
        (await getItem(graph, itemByPath(settings.driveId, '')));
      if (!folder) return { ok: false, message: 'The document library was not found.' };
      if (!folder.folder) return { ok: false, message: 'The target folder is a file in SharePoint.' };
      const probeName = `.mailissa-connection-test-${crypto.randomUUID()}.txt`;
      const written = await graph.request({
        method: 'PUT',
        path: `${driveBase(settings.driveId)}/items/${encodeURIComponent(folder.id)}:/${encodeURIComponent(probeName)}:/content?@microsoft.graph.conflictBehavior=fail`,
        headers: { 'content-type': 'text/plain' },
        body: new TextEncoder().encode('Mailissa connection test; deleted right away.\n'),
        what: 'write connection probe',
      });
      const probe = driveItemSchema.parse(await written.json());
      const deleted = await graph.request({
        method: 'DELETE',
        path: `${driveBase(settings.driveId)}/items/${encodeURIComponent(probe.id)}`,
        accept: [404],
        what: 'delete connection probe',
      });
      await deleted.body?.cancel();
      return {
        ok: true,
        message: `Mailissa can write to ${folder.webUrl ?? folder.name}.`,
      };
    } catch (error) {
      const failure = graphFailureOf(error);
      if (failure?.graphStatus === 403)
        return { ok: false, message: 'Mailissa may not write to this library.' };
      if (error instanceof AppError) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail({ graph }, settings, mail, progress) {
    const folderPath = joinedFolderPath(settings, mail.subfolder);
    const folder = await ensureFolder(graph, settings.driveId, folderPath);
    const maxLength = maxNameLengthIn(folderPath);
    const files: WrittenFile[] = [];
    for (const part of mail.parts) {
      const baseName =
        part.key !== 'message'
          ? safeFileName(part.name, { maxLength })
          : mail.fileName?.trim()
            ? safeFileName(/\.eml$/i.test(mail.fileName.trim()) ? mail.fileName : `${mail.fileName}.eml`, {
                maxLength,
                fallback: 'mail.eml',
              })
            : mailFileName(mail.receivedAt, mail.subject, maxLength);
      files.push(
        await writePart(
          graph,
          { driveId: settings.driveId, folderPath, folder },
          part,
          baseName,
          progress,
          maxLength,
        ),
      );
    }
    await writeMetadata(graph, settings.driveId, files, mail.metadata);
    return { url: folder.webUrl ?? null, files };
  },

  async removeFiles({ graph }, settings, files, where) {
    const folderPath = joinedFolderPath(settings, where.subfolder);
    for (const file of files) {
      await deleteItem(
        graph,
        file.location
          ? `${driveBase(settings.driveId)}/items/${encodeURIComponent(file.location)}`
          : itemByPath(settings.driveId, folderPath ? `${folderPath}/${file.name}` : file.name),
      );
    }
  },

  async listFolders({ graph }, settings, path) {
    const folder = await getItem(graph, itemByPath(settings.driveId, joinedFolderPath(settings, path)));
    if (!folder?.folder) return [];
    const folders: { name: string }[] = [];
    for await (const item of graph.paginate<DriveItem>(
      `${driveBase(settings.driveId)}/items/${encodeURIComponent(folder.id)}/children?$select=id,name,folder&$top=200`,
    )) {
      if (item.folder) folders.push({ name: item.name });
      if (folders.length >= 500) break;
    }
    return folders.sort((a, b) => a.name.localeCompare(b.name));
  },

  async createFolder({ graph }, settings, path) {
    await ensureFolder(graph, settings.driveId, joinedFolderPath(settings, path));
  },

  listColumns({ graph }, settings) {
    return libraryColumns(graph, settings.driveId);
  },

  async findExistingRecords({ graph }, settings, query) {
    const folder = await getItem(graph, itemByPath(settings.driveId, settings.folderPath));
    if (!folder) return [];
    const needle = query.text.trim().toLowerCase();
    const records = [];
    for await (const item of graph.paginate<DriveItem>(
      `${driveBase(settings.driveId)}/items/${encodeURIComponent(folder.id)}/children?$select=id,name,webUrl,folder&$top=200`,
    )) {
      if (item.folder && item.name.toLowerCase().includes(needle)) {
        records.push({ id: item.id, title: item.name, url: item.webUrl ?? null });
        if (records.length >= 20) break;
      }
    }
    return records;
  },
};
