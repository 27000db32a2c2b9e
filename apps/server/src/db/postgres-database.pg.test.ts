import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

/**
 * A PostgreSQL server that drops a connection (a restart, a failover, an administrator's
 * pg_terminate_backend) while a transaction holds it between two statements: the transaction fails,
 * the process lives on, and the next one gets a working connection. PostgreSQL only (`*.pg.test.ts`):
 * PGlite has no connections to lose.
 */
describe('a connection lost inside a transaction', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => database.drop());

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
