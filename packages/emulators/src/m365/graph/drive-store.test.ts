import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DRIVE_ID, SEED_DRIVES } from '../seed/drive-seed.js';
import { type Drive, type DriveItemRecord, DriveStore } from './drive-store.js';

const at = () => new Date('2026-11-30T09:00:00Z');
const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function freshDataDir(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'mailissa-drive-store-'));
  directories.push(directory);
  return directory;
}

/** The demo library of a store opened on `dataDir`, as the emulator opens it at start. */
async function openDemoDrive(
  dataDir: string,
  compactAfterLines?: number,
): Promise<{ store: DriveStore; drive: Drive }> {
  const store = await DriveStore.create({ dataDir, seeds: SEED_DRIVES, now: at, compactAfterLines });
  const drive = store.drive(DEMO_DRIVE_ID);
  if (!drive) throw new Error('the demo library is not seeded');
  return { store, drive };
}

/** Everything a restart must keep of an item, by id; ordering of the map does not matter. */
function stateOf(drive: Drive): Record<string, DriveItemRecord> {
  return Object.fromEntries([...drive.items.values()].map((item) => [item.id, { ...item }]));
}

const journalOf = (drive: Drive) => readFile(path.join(drive.directory, 'journal.ndjson'), 'utf8');

describe('the drive store on disk', () => {
  it('keeps folders, field changes and deletions across a restart, through journal and snapshot alike', async () => {
    const dataDir = await freshDataDir();
    // No threshold of its own: a snapshot once the journal has as many lines as the drive has items,
    // so the changes below (two lines for each new folder) span a snapshot and a journal after it.
    const { store, drive } = await openDemoDrive(dataDir, 1);
    const folders: DriveItemRecord[] = [];
    for (let index = 0; index < 25; index += 1) {
      const { item } = await store.createFolder(drive, drive.rootId, `Case ${index}`, 'fail', 'Adele Vance');
      folders.push(item);
    }
    const idOf = (index: number): string => folders[index]?.id ?? 'missing';
    await store.setFields(drive, idOf(3), { Status: 'Filed' }, 'Adele Vance');
    await store.deleteItem(drive, idOf(4));
    const { item: nested } = await store.createFolder(drive, idOf(5), 'Inner', 'fail', 'Adele Vance');
    await store.deleteItem(drive, idOf(5));

    // Neither written in full on each change nor kept growing: the journal holds what followed the
    // last snapshot only.
    const lines = (await journalOf(drive)).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(drive.items.size);

    const reopened = (await openDemoDrive(dataDir, 1)).drive;
    expect(stateOf(reopened)).toEqual(stateOf(drive));
    expect(reopened.items.get(idOf(3))?.fields).toEqual({ Status: 'Filed' });
    expect(reopened.items.has(idOf(4))).toBe(false);
    expect(reopened.items.has(nested.id)).toBe(false);
  });

  it('opens after a write the process did not finish, with every change written before it', async () => {
    const dataDir = await freshDataDir();
    const { store, drive } = await openDemoDrive(dataDir);
    for (let index = 0; index < 5; index += 1) {
      await store.createFolder(drive, drive.rootId, `Kept ${index}`, 'fail', 'Adele Vance');
    }
    const before = stateOf(drive);
    // A crash in the middle of an append leaves a line without its line break.
    await appendFile(path.join(drive.directory, 'journal.ndjson'), '{"put":{"id":"01HALF', 'utf8');

    const reopened = (await openDemoDrive(dataDir)).drive;
    expect(stateOf(reopened)).toEqual(before);
    // Opening folds the journal into a new snapshot, so lines written next never follow the torn one.
    expect(await journalOf(reopened)).toBe('');
    const again = (await openDemoDrive(dataDir)).drive;
    expect(stateOf(again)).toEqual(before);
  });

  it('refuses to open a journal damaged before its last line rather than lose what follows', async () => {
    const dataDir = await freshDataDir();
    const { store, drive } = await openDemoDrive(dataDir);
    await store.createFolder(drive, drive.rootId, 'First', 'fail', 'Adele Vance');
    const journal = path.join(drive.directory, 'journal.ndjson');
    await writeFile(journal, `not json\n${await readFile(journal, 'utf8')}`, 'utf8');
    await expect(openDemoDrive(dataDir)).rejects.toThrow(SyntaxError);
  });
});
