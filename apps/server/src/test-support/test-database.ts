import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { listMigrations, type Migration, migrate } from '../db/migrate.js';
import { openPgliteDatabase, wrapPglite } from '../db/pglite-database.js';
import { openPostgresDatabase } from '../db/postgres-database.js';
import { dumpTrimmedDataDir } from './pglite-wal-trim.js';

/** The buffer pool of every PGlite test database (see createTestDatabase). */
const TEST_SHARED_BUFFERS = 'shared_buffers = 16MB';

/**
 * A PGlite data directory as a tarball, held as one byte array. Node 20's own Blob gives its bytes
 * back in small chunks and joins them: for the 43 MB template that was half a second of CPU and as
 * much again in garbage collection, on every test database. PGlite only asks a data directory for
 * its type and its bytes, and reads them: every file is copied out of the tarball (by its tar reader,
 * then again into its in-memory file system), so all databases share one buffer, as a copy per
 * database cost another 0.2 s of CPU and its garbage. Were a later PGlite to take the buffer over
 * (transfer it to a worker), the next database would find it empty and fail to open: loudly.
 */
class DataDirTarball extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    super([], { type: 'application/x-tar' });
    // A buffer of exactly these bytes (a read file's may be a slice of a larger one).
    this.#bytes =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bytes.buffer as ArrayBuffer;
  }
}

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
 * How far a test database is migrated: fully (`true`), not at all (`false`), or with every migration
 * before a version, as an earlier release left it (`{ before: '1320' }`).
 */
export type TestDatabaseMigrations = boolean | { before: string };

/**
 * A fresh, empty database for one test file: PGlite in memory, or a new database on the PostgreSQL
 * server that is dropped afterwards. `migrated: false` leaves it without any schema. On PGlite,
 * `pgliteTemplate` (from preparePgliteTemplate) starts it from a prepared template instead.
 */
export async function createTestDatabase(
  options: { migrated?: TestDatabaseMigrations; pgliteTemplate?: Blob } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (testDatabaseKind() === 'pglite') {
    // A copy of a template data directory: initdb (about 5 s of CPU) and the migrations ran once,
    // not per database. Migrated as far as the template was.
    const db = await openPgliteDatabase(null, {
      loadDataDir: options.pgliteTemplate ?? (await pgliteTemplate(migrated)),
      // PostgreSQL's default 128 MB buffer pool is zeroed on every start: a third of what opening a
      // test database cost. A test's database fits in a small fraction of 16 MB.
      settings: [TEST_SHARED_BUFFERS],
    });
    return { db, url: null, drop: () => db.close() };
  }
  const adminUrl = testPostgresUrl();
  const name = `mailissa_test_${randomBytes(6).toString('hex')}`;
  // A copy of a migrated template database: the migrations ran once per schema, not per test file.
  const template = migrated === true ? await postgresTemplate(adminUrl) : null;
  await createPostgresDatabase(adminUrl, name, template);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgresDatabase(url.toString(), { max: 5 });
  // Part of the chain, on an empty database: the server runs it in a few seconds.
  if (typeof migrated === 'object') await migrate(db, await migrationsFor(migrated));
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

let postgresTemplateName: Promise<string> | undefined;

/**
 * A migrated database named after the migrations' content, built once on the server for every test
 * worker and run until the schema changes. Older templates are left alone: another checkout's test run
 * on the same server may still be copying one. Built under an advisory lock so workers build it once.
 */
function postgresTemplate(adminUrl: string): Promise<string> {
  postgresTemplateName ??= (async () => {
    const migrations = await listMigrations();
    const key = createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 12);
    const name = `mailissa_template_${key}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query('select pg_advisory_lock(4242002)');
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`drop database if exists ${building} with (force)`);
        await admin.query(`create database ${building}`);
        const url = new URL(adminUrl);
        url.pathname = `/${building}`;
        const db = await openPostgresDatabase(url.toString(), { max: 1 });
        await migrate(db, migrations);
        await db.close();
        // Renamed only when complete: a half-built template is never copied.
        await admin.query(`alter database ${building} rename to ${name}`);
      }
    } finally {
      await admin.query('select pg_advisory_unlock(4242002)').catch(() => undefined);
      await admin.end();
    }
    return name;
  })();
  return postgresTemplateName;
}

async function createPostgresDatabase(
  adminUrl: string,
  name: string,
  template: string | null,
): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
        return;
      } catch (error) {
        // Two workers copying the template at the same moment: PostgreSQL refuses one; it tries again.
        const busy = error instanceof Error && /is being accessed by other users/.test(error.message);
        if (!busy || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
}

/**
 * A PGlite template of the caller's own: a migrated database after `prepare` ran on it, as a tarball
 * for createTestDatabase's `pgliteTemplate`.
 */
export async function preparePgliteTemplate(prepare: (db: Database) => Promise<void>): Promise<Blob> {
  const pglite = new PGlite({ loadDataDir: await pgliteTemplate(true) });
  await pglite.waitReady;
  try {
    await prepare(wrapPglite(pglite));
    // Checkpointed, so a database started from it has no log to replay, and without the log it
    // does not need (pglite-wal-trim.ts).
    return new DataDirTarball(await dumpTrimmedDataDir(pglite));
  } finally {
    await pglite.close();
  }
}

/** Templates by how far they are migrated: 'all', 'none', or the version they stop before. */
const templates = new Map<string, Promise<Blob>>();

/** The migrations a database migrated so far has run, in order. */
async function migrationsFor(migrated: TestDatabaseMigrations): Promise<Migration[]> {
  if (migrated === false) return [];
  const all = await listMigrations();
  return migrated === true ? all : all.filter((migration) => migration.version < migrated.before);
}

/** PostgreSQL's template databases, which test databases go without (see loadOrBuildTemplate). */
const TEMPLATE_DATABASES = ['template0', 'template1'] as const;

/**
 * The data directory of a fresh PGlite, migrated or not, as a tarball to start new PGlites from.
 * Kept in the system's temporary directory under a name derived from the PGlite version and the
 * migrations, so every test worker and every run builds it at most once until the schema changes.
 */
function pgliteTemplate(migrated: TestDatabaseMigrations): Promise<Blob> {
  const key = typeof migrated === 'object' ? migrated.before : migrated ? 'all' : 'none';
  let template = templates.get(key);
  if (!template) {
    template = loadOrBuildTemplate(migrated);
    templates.set(key, template);
  }
  return template;
}

async function loadOrBuildTemplate(migrated: TestDatabaseMigrations): Promise<Blob> {
  const migrations = await migrationsFor(migrated);
  // The installed PGlite build, by where it is and when it was written (its package.json is not exported).
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pgliteBuild = { pgliteEntry, mtimeMs: (await stat(pgliteEntry)).mtimeMs };
  const key = createHash('sha256')
    .update(JSON.stringify({ pgliteBuild, migrations, dropped: TEMPLATE_DATABASES, wal: 'trimmed' }))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(tmpdir(), `mailissa-pglite-template-${key}.tar`);
  try {
    return new DataDirTarball(await readFile(file));
  } catch {
    // Not built yet: build it below.
  }
  const pglite = new PGlite();
  await pglite.waitReady;
  if (migrations.length > 0) await migrate(wrapPglite(pglite), migrations);
  // No test copies a template database, and these two were over a third of what every test database
  // unpacks (602 of 1,322 files, 15 of 43 MB). Dropped as PostgreSQL drops any database, so the
  // catalogue stays consistent; one statement each, as DROP DATABASE refuses to run in a transaction.
  for (const name of TEMPLATE_DATABASES) {
    await pglite.query(`alter database ${name} is_template false`);
    await pglite.query(`drop database ${name}`);
  }
  // Checkpointed, so a database started from it has no log to replay, and without the log it does
  // not need (pglite-wal-trim.ts).
  const tarball = await dumpTrimmedDataDir(pglite);
  await pglite.close();
  // Written aside and renamed, so a worker reading at the same time never sees half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, tarball);
  await rename(partial, file);
  return new DataDirTarball(tarball);
}
