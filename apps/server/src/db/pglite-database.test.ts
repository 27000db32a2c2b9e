import { describe, expect, it } from 'vitest';
import { preparePgliteTemplate } from '../test-support/test-database.js';
import { openPgliteDatabase } from './pglite-database.js';

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
});
