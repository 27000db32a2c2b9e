import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryOptions, QueryResult } from './database.js';

function toResult<Row>(result: { rows: Row[]; affectedRows?: number }): QueryResult<Row> {
  // PGlite reports affectedRows 0 for a SELECT; pg's rowCount counts the rows returned.
  return { rows: result.rows, rowCount: Math.max(result.rows.length, result.affectedRows ?? 0) };
}

/**
 * PGlite with its data under `dataDir`, or in memory when `dataDir` is null (tests). An in-memory
 * database may start from `loadDataDir`, a tarball of another PGlite's data directory
 * (`dumpDataDir`): that skips initdb, which is most of what opening a fresh PGlite costs.
 */
export async function openPgliteDatabase(
  dataDir: string | null,
  options: {
    loadDataDir?: Blob;
    /** PostgreSQL settings for this instance, lines of postgresql.conf (`shared_buffers = 16MB`). */
    settings?: string[];
  } = {},
): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const settings = options.settings?.length ? { postgresqlconf: options.settings } : {};
  const pglite = dataDir
    ? new PGlite(dataDir, settings)
    : new PGlite({ ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}), ...settings });
  await pglite.waitReady;
  return wrapPglite(pglite);
}

/** How many PGlites were wrapped in this process: each wrapper names its prepared statements apart. */
let wrappers = 0;

/** Our Database interface over an open PGlite. */
export function wrapPglite(pglite: PGlite): Database {
  /**
   * Statements asked to run prepared, by text. PGlite's query parses and plans every call afresh
   * (unnamed statements), which for a statement over the job queue's thirty-odd partitions is most of
   * its cost; a statement without parameters is prepared once in the session (its one connection) and
   * executed by name. With parameters it is parsed each time: PGlite offers no named statements.
   */
  const preparedNames = new Map<string, string>();
  // Names of this wrapper's own: another wrapper of the same PGlite must not meet them.
  wrappers += 1;
  const namePrefix = `prepared_${wrappers}_`;
  return {
    kind: 'pglite',
    async query<Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) {
      if (options?.prepared && params.length === 0) {
        let name = preparedNames.get(sql);
        if (!name) {
          name = `${namePrefix}${preparedNames.size + 1}`;
          await pglite.exec(`prepare ${name} as ${sql}`);
          preparedNames.set(sql, name);
        }
        return toResult(await pglite.query<Row>(`execute ${name}`));
      }
      return toResult(await pglite.query<Row>(sql, [...params]));
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    async simpleQuery<Row>(sql: string) {
      const results = await pglite.exec(sql);
      const last = results.at(-1);
      return last
        ? toResult({ rows: last.rows as Row[], affectedRows: last.affectedRows })
        : { rows: [], rowCount: 0 };
    },
    transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      // PGlite's transaction() holds its single connection, so no other caller's query lands inside.
      return pglite.transaction(async (tx) =>
        work({
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            return toResult(await tx.query<Row>(sql, [...params]));
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async close() {
      await pglite.close();
    },
  };
}
