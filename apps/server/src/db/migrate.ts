import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, type Queryable, TENANT_ROLE } from './database.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 4_242_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export async function listMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: file.slice(0, 4),
      name: file.slice(5, -4),
      sql: await readFile(path.join(dir, file), 'utf8'),
    })),
  );
}

/**
 * Applies every migration not yet recorded, each in its own transaction, in version order. Safe to
 * run from several processes at once: they queue on an advisory lock and re-check what is applied.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await listMigrations());
  // Even the bootstrap runs under the lock: "if not exists" alone races between two migrators.
  await underMigrationLock(db, (tx) =>
    tx.exec(`
      create table if not exists schema_migrations (
        version text primary key,
        name text not null,
        applied_at timestamptz not null default now()
      );
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = '${TENANT_ROLE}') then
          create role ${TENANT_ROLE} nologin;
        end if;
      exception when duplicate_object or unique_violation then null;
      end $$;
    `),
  );
  const applied: string[] = [];
  for (const migration of all) {
    const didApply = await underMigrationLock(db, async (tx) => {
      const existing = await tx.query('select 1 from schema_migrations where version = $1', [
        migration.version,
      ]);
      if (existing.rowCount > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) applied.push(`${migration.version}_${migration.name}`);
  }
  // The tenant role may touch every table; row-level security decides which rows.
  await underMigrationLock(db, (tx) =>
    tx.exec(`
      grant usage on schema public to ${TENANT_ROLE};
      grant select, insert, update, delete on all tables in schema public to ${TENANT_ROLE};
      grant usage, select on all sequences in schema public to ${TENANT_ROLE};
    `),
  );
  return applied;
}

/** One transaction holding the migration lock, so concurrent migrators take turns. */
async function underMigrationLock<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    return work(tx);
  });
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const all = await listMigrations();
  const exists = await db.query<{ present: boolean }>(
    `select to_regclass('schema_migrations') is not null as present`,
  );
  if (!exists.rows[0]?.present) return all.map((m) => m.version);
  const applied = await db.query<{ version: string }>('select version from schema_migrations');
  const done = new Set(applied.rows.map((row) => row.version));
  return all.filter((m) => !done.has(m.version)).map((m) => m.version);
}
