import { hash } from 'node:crypto';
import pg from 'pg';
import type { Database, Queryable, QueryOptions } from './database.js';

// PGlite returns int8 as a number; make the server driver agree (our int8 values are counts and sizes).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** Prepared statements' names, one per text: pg refuses one name for two texts on a connection. */
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `mailissa_${hash('sha256', sql, 'hex').slice(0, 32)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** What pg is given: the text alone, or the text under its statement's name. */
function pgQuery(sql: string, params: readonly unknown[], options: QueryOptions | undefined): pg.QueryConfig {
  return options?.prepared
    ? { name: statementName(sql), text: sql, values: [...params] }
    : { text: sql, values: [...params] };
}

export async function openPostgresDatabase(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that does not answer (a host gone, a failover) fails a request in seconds rather
    // than holding it until the client gives up; a refused connection fails at once anyway.
    connectionTimeoutMillis: 5000,
  });
  // An idle client's network error must not crash the process; the pool replaces the client.
  pool.on('error', () => {});
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) {
      const result = await pool.query(pgQuery(sql, params, options));
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async simpleQuery<Row>(sql: string) {
      // pg answers a multi-statement string with one result per statement.
      const result: pg.QueryResult | pg.QueryResult[] = await pool.query(sql);
      const last = Array.isArray(result) ? result.at(-1) : result;
      return { rows: (last?.rows ?? []) as Row[], rowCount: last?.rowCount ?? 0 };
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // While checked out, a client has no error listener of the pool's: a connection lost between two
      // statements (a database restart) would be an unhandled 'error' event and end the process. The
      // next statement fails instead, and the broken client is discarded rather than pooled again.
      let broken: Error | undefined;
      const onLost = (error: Error) => {
        broken = error;
      };
      client.on('error', onLost);
      try {
        await client.query('begin');
        const result = await work({
          async query<Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) {
            const r = await client.query(pgQuery(sql, params, options));
            return { rows: r.rows as Row[], rowCount: r.rowCount ?? r.rows.length };
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken ??= rollbackError;
        });
        throw error;
      } finally {
        client.removeListener('error', onLost);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
    async listen(channel, onNotify, onReset) {
      // A connection of its own (not from the pool): LISTEN lasts as long as the session.
      let stopped = false;
      let client: pg.Client | null = null;
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: url });
        next.on('notification', (message) => {
          if (message.channel === channel && message.payload) onNotify(message.payload);
        });
        next.on('error', () => {
          // Lost: whatever was notified meanwhile is unknown, so caches start afresh once back.
          next.end().catch(() => {});
          if (!stopped) setTimeout(() => void reconnect(), 1000).unref();
        });
        await next.connect();
        await next.query(`listen "${channel.replace(/"/g, '')}"`);
        client = next;
      };
      const reconnect = async (): Promise<void> => {
        if (stopped) return;
        try {
          await connect();
          onReset();
        } catch {
          setTimeout(() => void reconnect(), 1000).unref();
        }
      };
      await connect();
      return async () => {
        stopped = true;
        await client?.end().catch(() => {});
      };
    },
  };
}
