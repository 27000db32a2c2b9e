import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { driveItemIdFromBytes, type SeedDrive, seededDriveItemId } from '../seed/drive-seed.js';
import { GraphError } from './graph-errors.js';
import { quickXorHashOfFile } from './quick-xor-hash.js';

const itemRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  folder: z.boolean(),
  size: z.number(),
  mimeType: z.string().nullable(),
  quickXorHash: z.string().nullable(),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  /** Raised on every change; part of eTag and cTag. */
  version: z.number(),
  /** A GUID that names this item in eTags, as SharePoint's do. */
  tagGuid: z.string(),
  createdBy: z.string(),
  lastModifiedBy: z.string(),
  /** The library's custom column values of the item's listItem (`…/listItem/fields`). */
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type DriveItemRecord = z.infer<typeof itemRecordSchema>;

const metadataSchema = z.object({ driveId: z.string(), items: z.array(itemRecordSchema) });

/** One line of a drive's journal: an item as it stands after a change, or the id of an item removed. */
const journalEntrySchema = z.union([
  z.object({ put: itemRecordSchema }).strict(),
  z.object({ delete: z.string() }).strict(),
]);

/**
 * Journal lines after which the snapshot is written afresh and the journal emptied, unless the drive
 * has more items than that: a snapshot costs the whole drive, so it is made once per as many changes
 * as the drive has items, and each change costs the same however large the drive grows.
 */
const DEFAULT_COMPACT_AFTER_LINES = 2_000;

export type ConflictBehavior = 'fail' | 'replace' | 'rename';

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  eml: 'message/rfc822',
  msg: 'application/vnd.ms-outlook',
  html: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ics: 'text/calendar',
};

export function mimeTypeFor(name: string): string {
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

const RESERVED_NAMES = new Set(['.lock', 'con', 'prn', 'aux', 'nul', 'desktop.ini']);

/** SharePoint's name rules (docs/microsoft-365.md §6.6); a bad name is a 400 with inner code invalidPath. */
export function validateItemName(name: string, isFolder: boolean): void {
  const problem =
    name.length === 0
      ? 'is empty'
      : name.length > 255
        ? 'is longer than 255 characters'
        : /["*:<>?/\\|]/.test(name)
          ? 'contains one of the characters " * : < > ? / \\ |'
          : name !== name.trim()
            ? 'starts or ends with a space'
            : RESERVED_NAMES.has(name.toLowerCase()) || /^(com|lpt)\d$/i.test(name)
              ? 'is a reserved name'
              : name.includes('_vti_')
                ? 'contains _vti_'
                : name.startsWith('~$')
                  ? 'starts with ~$'
                  : isFolder && name.endsWith('.')
                    ? 'ends with a period'
                    : undefined;
  if (problem) {
    throw new GraphError(400, 'invalidRequest', `The name '${name}' ${problem}.`, 'invalidPath');
  }
}

export interface Drive {
  seed: SeedDrive;
  rootId: string;
  items: Map<string, DriveItemRecord>;
  /**
   * Each folder's children by lower-case name, kept beside `items`: a name look-up scanned every item
   * of the drive, and every path segment, upload and numbered-name probe makes one, so the demo's
   * drive got slower with every file written (a soak writes thousands into one folder). Items are
   * never renamed or moved in place, so recording them on put and delete keeps the index true.
   */
  childrenOf: Map<string, Map<string, DriveItemRecord>>;
  directory: string;
}

/** Records an item (new, or the same item again) under its id and its folder's name index. */
function putItem(drive: Drive, item: DriveItemRecord): void {
  drive.items.set(item.id, item);
  if (item.parentId === null) return;
  let siblings = drive.childrenOf.get(item.parentId);
  if (!siblings) {
    siblings = new Map();
    drive.childrenOf.set(item.parentId, siblings);
  }
  siblings.set(item.name.toLowerCase(), item);
}

function removeItem(drive: Drive, item: DriveItemRecord): void {
  drive.items.delete(item.id);
  drive.childrenOf.delete(item.id);
  if (item.parentId !== null) drive.childrenOf.get(item.parentId)?.delete(item.name.toLowerCase());
}

/**
 * An item as it stands right after it was made, seeded or uploaded: no content yet, version 1, a
 * fresh GUID for its eTag, made and last changed by `by` at `at`.
 */
function emptyItemRecord(fields: {
  id: string;
  name: string;
  parentId: string | null;
  folder: boolean;
  at: string;
  by: string;
}): DriveItemRecord {
  const { id, name, parentId, folder, at, by } = fields;
  return {
    id,
    name,
    parentId,
    folder,
    size: 0,
    mimeType: folder ? null : mimeTypeFor(name),
    quickXorHash: null,
    createdDateTime: at,
    lastModifiedDateTime: at,
    version: 1,
    tagGuid: randomUUID().toUpperCase(),
    createdBy: by,
    lastModifiedBy: by,
  };
}

/** How one drive's metadata reaches the disk: its writes in turn, and its journal's state. */
interface DriveWriter {
  /** The last write queued, settled either way: the next one starts after it. */
  last: Promise<void>;
  /** A write waiting for `last` to end: changes made meanwhile join it. */
  queued: Promise<void> | undefined;
  /** Journal lines written since the last snapshot. */
  written: number;
  /** Lines of changes made but not yet written. */
  waiting: string[];
  /** The next write is a whole snapshot rather than journal lines. */
  snapshotDue: boolean;
}

/**
 * The document libraries, under `${dataDir}/emulator/drives/`, so drive contents survive restarts and
 * large files never sit in memory: each file's bytes in a file of their own, and each drive's metadata
 * as a snapshot (`items.json`) plus a journal of the changes since (`journal.ndjson`, one line each).
 * The snapshot alone, rewritten on every change, cost a soak more per transfer the fuller the drive got.
 */
export class DriveStore {
  private readonly drives = new Map<string, Drive>();
  /** OneDrives known by id but not yet on disk: most demo users never touch theirs. */
  private readonly dormant = new Map<string, SeedDrive>();
  private opening = new Map<string, Promise<Drive>>();
  private writers = new Map<string, DriveWriter>();
  readonly uploadsDirectory: string;

  private constructor(
    private readonly root: string,
    private readonly now: () => Date,
    private readonly compactAfterLines: number,
  ) {
    this.uploadsDirectory = path.join(root, '..', 'uploads');
  }

  static async create(input: {
    dataDir: string;
    seeds: readonly SeedDrive[];
    personal?: readonly SeedDrive[];
    now: () => Date;
    /** Journal lines before a new snapshot; tests lower it to see compaction without 2,000 changes. */
    compactAfterLines?: number;
  }): Promise<DriveStore> {
    const store = new DriveStore(
      path.join(input.dataDir, 'emulator', 'drives'),
      input.now,
      input.compactAfterLines ?? DEFAULT_COMPACT_AFTER_LINES,
    );
    await mkdir(store.uploadsDirectory, { recursive: true });
    // Half-finished uploads of a previous run are useless: their sessions lived in memory.
    await rm(store.uploadsDirectory, { recursive: true, force: true });
    await mkdir(store.uploadsDirectory, { recursive: true });
    for (const seed of input.seeds) await store.open(seed);
    for (const seed of input.personal ?? []) store.dormant.set(seed.id, seed);
    return store;
  }

  /** A drive by id, opening (and on first use creating) a OneDrive on demand. */
  async driveById(driveId: string): Promise<Drive | undefined> {
    const open = this.drives.get(driveId);
    if (open) return open;
    const seed = this.dormant.get(driveId);
    if (!seed) return undefined;
    let opening = this.opening.get(driveId);
    if (!opening) {
      opening = this.open(seed).then(() => this.drives.get(driveId) as Drive);
      this.opening.set(driveId, opening);
    }
    return opening;
  }

  private async open(seed: SeedDrive): Promise<void> {
    const directory = path.join(this.root, seed.storageName);
    await mkdir(path.join(directory, 'content'), { recursive: true });
    const rootId = seededDriveItemId(seed.id, '');
    const drive: Drive = { seed, rootId, items: new Map(), childrenOf: new Map(), directory };
    let existing: z.infer<typeof metadataSchema> | undefined;
    try {
      existing = metadataSchema.parse(JSON.parse(await readFile(this.snapshotPath(drive), 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (existing) {
      for (const item of existing.items) putItem(drive, item);
      // Changes since that snapshot, then a new snapshot: the journal starts empty, so a line a crash
      // cut short never has lines after it.
      const replayed = await this.replayJournal(drive);
      // Known only once whole: a request for a OneDrive that is opening waits for `opening`.
      this.drives.set(seed.id, drive);
      if (replayed) await this.writeSnapshot(drive);
      return;
    }
    const seededAt = '2026-01-05T08:00:00Z';
    const record = (id: string, name: string, parentId: string | null, folder: boolean): DriveItemRecord =>
      emptyItemRecord({ id, name, parentId, folder, at: seededAt, by: 'System Account' });
    putItem(drive, record(rootId, 'root', null, true));
    const ensureFolder = (folderPath: string): string => {
      let parentId = rootId;
      let soFar = '';
      for (const segment of folderPath.split('/').filter(Boolean)) {
        soFar = soFar ? `${soFar}/${segment}` : segment;
        const id = seededDriveItemId(seed.id, soFar);
        if (!drive.items.has(id)) putItem(drive, record(id, segment, parentId, true));
        parentId = id;
      }
      return parentId;
    };
    for (const folder of seed.folders) ensureFolder(folder);
    for (const file of seed.files) {
      const slash = file.path.lastIndexOf('/');
      const parentId = ensureFolder(slash < 0 ? '' : file.path.slice(0, slash));
      const name = file.path.slice(slash + 1);
      const id = seededDriveItemId(seed.id, file.path);
      const target = this.contentPath(drive, id);
      await writeFile(target, file.content, 'utf8');
      const item = record(id, name, parentId, false);
      item.size = Buffer.byteLength(file.content, 'utf8');
      item.quickXorHash = await quickXorHashOfFile(target);
      putItem(drive, item);
    }
    this.drives.set(seed.id, drive);
    await this.writeSnapshot(drive);
  }

  /** Applies the journal's lines to the drive read from the snapshot; true when there were any. */
  private async replayJournal(drive: Drive): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.journalPath(drive), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const lines = text.split('\n');
    // Every line ends with a line break: what follows the last one is a line whose write was cut short.
    lines.pop();
    for (const line of lines) {
      const entry = journalEntrySchema.parse(JSON.parse(line));
      if ('put' in entry) putItem(drive, entry.put);
      else {
        const item = drive.items.get(entry.delete);
        if (item) removeItem(drive, item);
      }
    }
    return text.length > 0;
  }

  drive(driveId: string): Drive | undefined {
    return this.drives.get(driveId);
  }

  drivesOfTenant(tenantId: string): Drive[] {
    return [...this.drives.values()].filter((drive) => drive.seed.tenantId === tenantId);
  }

  contentPath(drive: Drive, itemId: string): string {
    return path.join(drive.directory, 'content', itemId);
  }

  item(drive: Drive, itemId: string): DriveItemRecord | undefined {
    return drive.items.get(itemId);
  }

  children(drive: Drive, parentId: string): DriveItemRecord[] {
    return [...(drive.childrenOf.get(parentId)?.values() ?? [])].sort((a, b) =>
      a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }),
    );
  }

  /** Names are unique per folder without regard to case, as in SharePoint. */
  childByName(drive: Drive, parentId: string, name: string): DriveItemRecord | undefined {
    return drive.childrenOf.get(parentId)?.get(name.toLowerCase());
  }

  resolvePath(drive: Drive, startId: string, segments: string[]): DriveItemRecord | undefined {
    let current = drive.items.get(startId);
    for (const segment of segments) {
      if (!current?.folder) return undefined;
      current = this.childByName(drive, current.id, segment);
    }
    return current;
  }

  /** Path of an item's folder chain as Graph writes it in parentReference.path, percent-encoded. */
  pathSegments(drive: Drive, item: DriveItemRecord): string[] {
    const segments: string[] = [];
    let current: DriveItemRecord | undefined = item;
    while (current && current.parentId !== null) {
      segments.unshift(current.name);
      current = drive.items.get(current.parentId);
    }
    return segments;
  }

  childCount(drive: Drive, folderId: string): number {
    return drive.childrenOf.get(folderId)?.size ?? 0;
  }

  /** The name to write under, or the item to replace, per conflict behaviour; `fail` → 409. */
  resolveConflict(
    drive: Drive,
    parentId: string,
    name: string,
    behavior: ConflictBehavior,
  ): { name: string; existing: DriveItemRecord | undefined } {
    const existing = this.childByName(drive, parentId, name);
    if (!existing) return { name, existing: undefined };
    if (behavior === 'fail') {
      throw new GraphError(409, 'nameAlreadyExists', `The specified item name '${name}' already exists.`);
    }
    if (behavior === 'replace') return { name, existing };
    const dot = name.lastIndexOf('.');
    const base = dot > 0 ? name.slice(0, dot) : name;
    const extension = dot > 0 ? name.slice(dot) : '';
    for (let n = 1; ; n += 1) {
      const candidate = `${base} ${n}${extension}`;
      if (!this.childByName(drive, parentId, candidate)) return { name: candidate, existing: undefined };
    }
  }

  private newItem(
    drive: Drive,
    name: string,
    parentId: string,
    folder: boolean,
    by: string,
  ): DriveItemRecord {
    const at = `${this.now().toISOString().slice(0, 19)}Z`;
    let id = driveItemIdFromBytes(randomBytes(32));
    while (drive.items.has(id)) id = driveItemIdFromBytes(randomBytes(32));
    return emptyItemRecord({ id, name, parentId, folder, at, by });
  }

  /** Raises the version of every folder above a change, as SharePoint's cTags do; returns them. */
  private touchAncestors(drive: Drive, parentId: string | null): DriveItemRecord[] {
    const touched: DriveItemRecord[] = [];
    let current = parentId === null ? undefined : drive.items.get(parentId);
    while (current) {
      current.version += 1;
      touched.push(current);
      current = current.parentId === null ? undefined : drive.items.get(current.parentId);
    }
    return touched;
  }

  async createFolder(
    drive: Drive,
    parentId: string,
    name: string,
    behavior: ConflictBehavior,
    by: string,
  ): Promise<{ item: DriveItemRecord; created: boolean }> {
    validateItemName(name, true);
    const target = this.resolveConflict(drive, parentId, name, behavior);
    if (target.existing) {
      if (!target.existing.folder) {
        throw new GraphError(409, 'nameAlreadyExists', `A file named '${name}' already exists.`);
      }
      return { item: target.existing, created: false };
    }
    const item = this.newItem(drive, target.name, parentId, true, by);
    putItem(drive, item);
    await this.persist(drive, { put: [item, ...this.touchAncestors(drive, parentId)] });
    return { item, created: true };
  }

  /**
   * Moves a completely received upload into the drive: a new file, or new content for an existing one
   * (same id, as Graph keeps ids on replace).
   */
  async commitFile(input: {
    drive: Drive;
    parentId: string;
    name: string;
    behavior: ConflictBehavior;
    uploadedFile: string;
    replaceItemId?: string;
    by: string;
  }): Promise<{ item: DriveItemRecord; created: boolean }> {
    const { drive } = input;
    // Read before the name is resolved: from resolving the name to recording the item nothing may
    // await, or two concurrent commits of one name would both find it free (Graph commits atomically).
    const size = (await stat(input.uploadedFile)).size;
    const hash = await quickXorHashOfFile(input.uploadedFile);
    let item: DriveItemRecord;
    let created: boolean;
    const replacing = input.replaceItemId ? drive.items.get(input.replaceItemId) : undefined;
    if (replacing) {
      item = replacing;
      created = false;
    } else {
      validateItemName(input.name, false);
      const target = this.resolveConflict(drive, input.parentId, input.name, input.behavior);
      if (target.existing?.folder) {
        throw new GraphError(409, 'nameAlreadyExists', `A folder named '${input.name}' already exists.`);
      }
      item = target.existing ?? this.newItem(drive, target.name, input.parentId, false, input.by);
      created = target.existing === undefined;
    }
    // The name is taken now, before the content moves in; a concurrent commit sees it.
    putItem(drive, item);
    await rename(input.uploadedFile, this.contentPath(drive, item.id));
    item.size = size;
    item.quickXorHash = hash;
    item.mimeType = mimeTypeFor(item.name);
    item.lastModifiedDateTime = `${this.now().toISOString().slice(0, 19)}Z`;
    item.lastModifiedBy = input.by;
    if (!created) item.version += 1;
    await this.persist(drive, { put: [item, ...this.touchAncestors(drive, item.parentId)] });
    return { item, created };
  }

  /** Merges field values into the item's listItem, as a fields PATCH does; a change like any other. */
  async setFields(
    drive: Drive,
    itemId: string,
    update: Record<string, string | number | boolean | null>,
    by: string,
  ): Promise<DriveItemRecord> {
    const item = drive.items.get(itemId);
    if (!item) throw new GraphError(404, 'itemNotFound', 'The resource could not be found.');
    item.fields = { ...(item.fields ?? {}), ...update };
    item.version += 1;
    item.lastModifiedDateTime = `${this.now().toISOString().slice(0, 19)}Z`;
    item.lastModifiedBy = by;
    await this.persist(drive, { put: [item] });
    return item;
  }

  async deleteItem(drive: Drive, itemId: string): Promise<void> {
    const doomed = [itemId];
    for (let i = 0; i < doomed.length; i += 1) {
      for (const child of drive.childrenOf.get(doomed[i] ?? '')?.values() ?? []) doomed.push(child.id);
    }
    const parentId = drive.items.get(itemId)?.parentId ?? null;
    const removed: string[] = [];
    for (const id of doomed) {
      const item = drive.items.get(id);
      if (item) {
        removeItem(drive, item);
        removed.push(id);
      }
      if (item && !item.folder) await rm(this.contentPath(drive, id), { force: true });
    }
    await this.persist(drive, { put: this.touchAncestors(drive, parentId), removed });
  }

  private snapshotPath(drive: Drive): string {
    return path.join(drive.directory, 'items.json');
  }

  private journalPath(drive: Drive): string {
    return path.join(drive.directory, 'journal.ndjson');
  }

  private writerOf(drive: Drive): DriveWriter {
    let writer = this.writers.get(drive.seed.id);
    if (!writer) {
      writer = { last: Promise.resolve(), queued: undefined, written: 0, waiting: [], snapshotDue: false };
      this.writers.set(drive.seed.id, writer);
    }
    return writer;
  }

  /** Writes the whole drive as it stands and empties the journal: after seeding, and after a replay. */
  private writeSnapshot(drive: Drive): Promise<void> {
    this.writerOf(drive).snapshotDue = true;
    return this.queueWrite(drive);
  }

  /**
   * Records a change: the items as they now stand and the ids removed, one journal line each, written
   * in the order the changes were made. Once the journal has as many lines as the threshold or the
   * drive has items, whichever is more, a new snapshot replaces it.
   */
  private persist(
    drive: Drive,
    change: { put: readonly DriveItemRecord[]; removed?: readonly string[] },
  ): Promise<void> {
    const { waiting } = this.writerOf(drive);
    // Serialised now: the item may change again before the write, and that change has a line of its own.
    for (const item of change.put) waiting.push(`${JSON.stringify({ put: item })}\n`);
    for (const id of change.removed ?? []) waiting.push(`${JSON.stringify({ delete: id })}\n`);
    return this.queueWrite(drive);
  }

  /** Writes what is waiting: the journal's new lines, or a snapshot when one is due. */
  private async flush(drive: Drive, writer: DriveWriter): Promise<void> {
    if (!writer.snapshotDue) {
      const lines = writer.waiting.splice(0);
      if (lines.length === 0) return;
      await appendFile(this.journalPath(drive), lines.join(''), 'utf8');
      writer.written += lines.length;
      if (writer.written < Math.max(this.compactAfterLines, drive.items.size)) return;
    }
    // The whole drive as it stands holds every change whose line is waiting now: those lines are
    // dropped. Lines added while the snapshot is written are written after it.
    writer.waiting.length = 0;
    writer.snapshotDue = false;
    const file = this.snapshotPath(drive);
    const body = JSON.stringify({ driveId: drive.seed.id, items: [...drive.items.values()] }, null, 1);
    await writeFile(`${file}.tmp`, body, 'utf8');
    await rename(`${file}.tmp`, file);
    // Emptied only once the snapshot is in place: a crash in between replays lines the snapshot
    // already holds, which changes nothing, as every line carries an item whole.
    await writeFile(this.journalPath(drive), '', 'utf8');
    writer.written = 0;
  }

  /**
   * Runs one drive's metadata writes one after another, so none is lost or interleaved. A change made
   * while a write waits for the one before it shares that write: it takes what is waiting when it starts.
   */
  private queueWrite(drive: Drive): Promise<void> {
    const writer = this.writerOf(drive);
    if (writer.queued) return writer.queued;
    const next = writer.last.then(async () => {
      // From here a change needs a write of its own: this one takes what is waiting now.
      writer.queued = undefined;
      await this.flush(drive, writer);
    });
    writer.queued = next;
    writer.last = next.catch(() => undefined);
    return next;
  }
}
