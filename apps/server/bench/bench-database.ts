/**
 * The PostgreSQL server the benchmarks measure on: BENCH_DATABASE_URL, else the machine's own. Each
 * benchmark takes a database of its own there and drops it when done.
 */
export const BENCH_ADMIN_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function adminQuery(sql: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: BENCH_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Whether the benchmarks' PostgreSQL server answers (within 2 s). */
export async function benchPostgresReachable(): Promise<boolean> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: BENCH_ADMIN_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` with the URL of a new, empty database on the benchmarks' PostgreSQL server, and drops
 * it afterwards (with any connection still open: `work` should have stopped its servers by then).
 */
export async function withBenchPostgresDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const { randomBytes } = await import('node:crypto');
  const name = `mailissa_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  try {
    const url = new URL(BENCH_ADMIN_DATABASE_URL);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await adminQuery(`drop database if exists ${name} with (force)`);
  }
}
