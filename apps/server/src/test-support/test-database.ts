import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { listMigrations, migrate } from '../db/migrate.js';
import { openPgliteDatabase, wrapPglite } from '../db/pglite-database.js';
import { openPostgresDatabase } from '../db/postgres-database.js';

/** Which database the test run uses: the `postgres` Vitest project sets TEST_DB=postgres. */
export function testDatabaseKind(): 'pglite' | 'postgres' {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export function testPostgresUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export interface TestDatabase {
  db: Database;
  /** A postgres:// URL for the fresh database, or null on PGlite. */
  url: string | null;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: PGlite in memory, or a new database on the PostgreSQL
 * server that is dropped afterwards. `migrated: false` leaves it without any schema.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated !== false;
  if (testDatabaseKind() === 'pglite') {
    // A copy of a template data directory: initdb (about 5 s of CPU) ran once, not per database.
    // Migrated or not, as the template was.
    const db = await openPgliteDatabase(null, { loadDataDir: await pgliteTemplate(migrated) });
    return { db, url: null, drop: () => db.close() };
  }
  const adminUrl = testPostgresUrl();
  const name = `mailissa_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgresDatabase(url.toString(), { max: 5 });
  if (migrated) await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

const templates = new Map<boolean, Promise<Blob>>();

/**
 * The data directory of a fresh PGlite, migrated or not, as a tarball to start new PGlites from.
 * Kept in the system's temporary directory under a name derived from the PGlite version and the
 * migrations, so every test worker and every run builds it at most once until the schema changes.
 */
function pgliteTemplate(migrated: boolean): Promise<Blob> {
  let template = templates.get(migrated);
  if (!template) {
    template = loadOrBuildTemplate(migrated);
    templates.set(migrated, template);
  }
  return template;
}

async function loadOrBuildTemplate(migrated: boolean): Promise<Blob> {
  const migrations = migrated ? await listMigrations() : [];
  // The installed PGlite build, by where it is and when it was written (its package.json is not exported).
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pgliteBuild = { pgliteEntry, mtimeMs: (await stat(pgliteEntry)).mtimeMs };
  const key = createHash('sha256')
    .update(JSON.stringify({ pgliteBuild, migrations }))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(tmpdir(), `mailissa-pglite-template-${key}.tar`);
  try {
    return new Blob([await readFile(file)], { type: 'application/x-tar' });
  } catch {
    // Not built yet: build it below.
  }
  const pglite = new PGlite();
  await pglite.waitReady;
  if (migrated) await migrate(wrapPglite(pglite), migrations);
  const tarball = await pglite.dumpDataDir('none');
  await pglite.close();
  // Written aside and renamed, so a worker reading at the same time never sees half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()));
  await rename(partial, file);
  return new Blob([await tarball.arrayBuffer()], { type: 'application/x-tar' });
}
