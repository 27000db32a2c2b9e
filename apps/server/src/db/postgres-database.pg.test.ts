import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

/**
 * The PostgreSQL server driver alone, on one schemaless database for the file. PostgreSQL only
 * (`*.pg.test.ts`): PGlite has neither connections to lose nor prepared statements to keep.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
});
afterAll(async () => database.drop());

/**
 * A PostgreSQL server that drops a connection (a restart, a failover, an administrator's
 * pg_terminate_backend) while a transaction holds it between two statements: the transaction fails,
 * the process lives on, and the next one gets a working connection.
 */
describe('a connection lost inside a transaction', () => {
  it('fails that transaction only, without an unhandled error, and the next one works', async () => {
    const failed = database.db.transaction(async (tx) => {
      const own = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
      // Between two statements, the server ends this session, as a restart would.
      await database.db.query('select pg_terminate_backend($1)', [own.rows[0]?.pid]);
      await new Promise<void>((resolve) => setImmediate(resolve));
      await tx.query('select 1');
    });
    await expect(failed).rejects.toThrow();
    // The broken connection is not handed out again.
    for (let round = 0; round < 8; round++) {
      const answer = await database.db.transaction((tx) => tx.query<{ one: number }>('select 1 as one'));
      expect(answer.rows[0]?.one).toBe(1);
    }
  });
});

describe('a prepared query', () => {
  it('is parsed once per connection and answers each call with its own values', async () => {
    const sql = 'select $1::int + 1 as next';
    const prepared = await database.db.transaction(async (tx) => {
      const answers: number[] = [];
      for (const value of [1, 41]) {
        const result = await tx.query<{ next: number }>(sql, [value], { prepared: true });
        answers.push(result.rows[0]?.next ?? Number.NaN);
      }
      // The session's own prepared statements: one for the text, however often it ran.
      const statements = await tx.query<{ name: string }>(
        'select name from pg_prepared_statements where statement = $1',
        [sql],
      );
      return { answers, names: statements.rows.map((row) => row.name) };
    });
    expect(prepared.answers).toEqual([2, 42]);
    expect(prepared.names).toHaveLength(1);
    // Without the option nothing is kept.
    const unprepared = await database.db.transaction(async (tx) => {
      await tx.query('select $1::int * 2 as doubled', [2]);
      return tx.query('select count(*)::int as n from pg_prepared_statements where statement like $1', [
        '%doubled%',
      ]);
    });
    expect(unprepared.rows[0]?.n).toBe(0);
    // The pool's own queries take it too.
    const pooled = await database.db.query<{ next: number }>(sql, [9], { prepared: true });
    expect(pooled.rows[0]?.next).toBe(10);
  });
});
