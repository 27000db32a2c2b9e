import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { preparePgliteTemplate } from '../test-support/test-database.js';
import { openPgliteDatabase, wrapPglite } from './pglite-database.js';

describe('openPgliteDatabase', () => {
  it('applies the PostgreSQL settings it is given, and keeps the defaults otherwise', async () => {
    // A copy of the migrated template, not initdb: a few hundred milliseconds per open.
    const template = await preparePgliteTemplate(async () => {});
    const sharedBuffers = async (settings?: string[]) => {
      const db = await openPgliteDatabase(null, { loadDataDir: template, ...(settings ? { settings } : {}) });
      try {
        const { rows } = await db.query<{ value: string }>(
          "select current_setting('shared_buffers') as value",
        );
        return rows[0]?.value;
      } finally {
        await db.close();
      }
    };
    expect(await sharedBuffers(['shared_buffers = 16MB'])).toBe('16MB');
    expect(await sharedBuffers()).toBe('128MB');
  });

  it('prepares a statement without parameters once when asked, and answers it as planned afresh', async () => {
    const template = await preparePgliteTemplate(async () => {});
    const pglite = new PGlite({ loadDataDir: template });
    await pglite.waitReady;
    const db = wrapPglite(pglite);
    try {
      await db.exec(
        `create table jobs (name text, due boolean); insert into jobs values ('a', true), ('b', false)`,
      );
      const scan = `select name from jobs where due order by name`;
      expect((await db.query<{ name: string }>(scan, [], { prepared: true })).rows).toEqual([{ name: 'a' }]);
      await db.exec(`update jobs set due = true where name = 'b'`);
      expect((await db.query<{ name: string }>(scan, [], { prepared: true })).rows).toEqual([
        { name: 'a' },
        { name: 'b' },
      ]);
      // A changed table: PostgreSQL plans the prepared statement again.
      await db.exec(`alter table jobs add column queue text default 'q'`);
      expect((await db.query<{ name: string }>(scan, [], { prepared: true })).rowCount).toBe(2);
      const prepared = await db.query<{ statement: string }>('select statement from pg_prepared_statements');
      expect(prepared.rows).toHaveLength(1);
      expect(prepared.rows[0]?.statement).toContain(scan);
      // With parameters, and without being asked, nothing is prepared.
      await db.query('select name from jobs where name = $1', ['a'], { prepared: true });
      await db.query(scan);
      expect((await db.query('select 1 from pg_prepared_statements')).rowCount).toBe(1);
      // A second wrapper of the same PGlite prepares its own statements beside the first one's.
      const again = wrapPglite(pglite);
      expect((await again.query<{ name: number }>('select 2 as name', [], { prepared: true })).rows).toEqual([
        { name: 2 },
      ]);
      expect((await db.query<{ name: number }>('select 1 as name', [], { prepared: true })).rows).toEqual([
        { name: 1 },
      ]);
    } finally {
      await pglite.close();
    }
  });
});
