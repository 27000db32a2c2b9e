import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, preparePgliteTemplate } from './test-database.js';

describe('test database templates without the log they do not need', () => {
  it('start from one short log segment and go on writing through new ones', async () => {
    const template = await preparePgliteTemplate(async (db) => {
      await db.exec(
        `create table kept (id int primary key, note text); insert into kept values (1, 'from the template')`,
      );
    });
    // The log's two 16 MB segments were most of a template; what is left is the schema and data.
    expect((await template.arrayBuffer()).byteLength).toBeLessThan(20_000_000);

    const database = await createTestDatabase({ pgliteTemplate: template });
    try {
      // About 40 MB of log: past the end of the kept pages and through two segments it creates.
      await database.db.exec('create table filler (t text)');
      for (let round = 0; round < 40; round++) {
        await database.db.query(`insert into filler select repeat('x', 1000) from generate_series(1, 1000)`);
      }
      await database.db.exec('checkpoint');
      const { rows } = await database.db.query<{ note: string; filler: number }>(
        `select (select note from kept where id = 1) as note, (select count(*)::int from filler) as filler`,
      );
      expect(rows[0]).toEqual({ note: 'from the template', filler: 40_000 });
    } finally {
      await database.drop();
    }
  });

  it('open cleanly: PostgreSQL finds its checkpoint and reads the log to its end without error', async () => {
    const template = await preparePgliteTemplate(async () => undefined);
    const messages: string[] = [];
    const pglite = new PGlite({
      loadDataDir: template,
      onStderr: (text) => {
        messages.push(text);
        return true;
      },
    });
    await pglite.waitReady;
    const { rows } = await pglite.query<{ redo: string }>(
      'select redo_wal_file as redo from pg_control_checkpoint()',
    );
    await pglite.close();
    expect(rows[0]?.redo).toMatch(/^[0-9A-F]{24}$/);
    // The start replays from the checkpoint to the log's end, as from an untrimmed template; reading
    // past the kept pages would say it could not read the segment.
    expect(messages.some((text) => /redo done/.test(text))).toBe(true);
    expect(messages.filter((text) => /could not|PANIC|FATAL|ERROR/.test(text))).toEqual([]);
  });
});
