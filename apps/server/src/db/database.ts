/**
 * One interface over the two ways we run PostgreSQL: PGlite embedded (the default, data in DATA_DIR)
 * and a PostgreSQL server (DATABASE_URL). Callers write PostgreSQL SQL once and never branch on which.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * On a PostgreSQL server, run as a named prepared statement: parsed and planned once per connection
   * rather than on every call. Only for a fixed text run very often (the job queue's statements): each
   * distinct text stays prepared on every connection of the pool. PGlite prepares a statement without
   * parameters once in its session and parses one with parameters every time.
   */
  prepared?: boolean;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<Row>>;
  /** Runs several statements (no parameters), e.g. a migration file. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs parameterless SQL that may hold several statements through the simple query protocol and
   * returns the last statement's rows (what libraries such as pg-boss expect from a driver).
   */
  simpleQuery<Row = Record<string, unknown>>(sql: string): Promise<QueryResult<Row>>;
  /**
   * Runs `work` in one transaction that holds its connection exclusively (on PGlite: the only
   * connection), committing when it resolves and rolling back when it throws.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: calls `onNotify` with each NOTIFY payload on `channel` from any server, and
   * `onReset` whenever notices may have been missed (the listening connection was lost and is back).
   * Resolves to a function that stops listening. Absent on PGlite, where one process owns the data.
   */
  listen?(
    channel: string,
    onNotify: (payload: string) => void,
    onReset: () => void,
  ): Promise<() => Promise<void>>;
}

/** The role tenant-scoped transactions switch to, so row-level security applies to them. */
export const TENANT_ROLE = 'mailissa_app';

/**
 * Runs `work` in a transaction scoped to one tenant: `app.tenant_id` is set for the row-level
 * security policies and the transaction runs as the unprivileged tenant role, so a query that forgot
 * its `tenant_id` filter still cannot see another tenant's rows.
 */
export async function withTenant<T>(
  db: Database,
  tenantId: string,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    await tx.query(`set local role ${TENANT_ROLE}`);
    return work(tx);
  });
}
