import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { dataInventory } from './data-inventory.js';

/** Every column of every table in schema public after all migrations, as `table.column`. */
async function schemaColumns(database: TestDatabase): Promise<Set<string>> {
  const result = await database.db.query<{ table_name: string; column_name: string }>(
    `select c.table_name, c.column_name
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`,
  );
  return new Set(result.rows.map((row) => `${row.table_name}.${row.column_name}`));
}

function declaredColumns(): Set<string> {
  return new Set(
    Object.entries(dataInventory).flatMap(([table, columns]) =>
      Object.keys(columns).map((column) => `${table}.${column}`),
    ),
  );
}

describe('data inventory', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('declares every column of the database as personal or not personal', async () => {
    const declared = declaredColumns();
    const undeclared = [...(await schemaColumns(database))].filter((column) => !declared.has(column));
    expect(undeclared, 'columns missing from privacy/data-inventory.ts').toEqual([]);
  });

  it('declares no column that does not exist', async () => {
    const existing = await schemaColumns(database);
    const phantom = [...declaredColumns()].filter((column) => !existing.has(column));
    expect(phantom, 'columns in privacy/data-inventory.ts that no migration creates').toEqual([]);
  });

  it('notices a column added without a declaration', async () => {
    await database.db.exec('create table inventory_probe (id int primary key, secret_note text)');
    try {
      const declared = declaredColumns();
      const undeclared = [...(await schemaColumns(database))].filter((column) => !declared.has(column));
      expect(undeclared.filter((column) => column.startsWith('inventory_probe.')).sort()).toEqual([
        'inventory_probe.id',
        'inventory_probe.secret_note',
      ]);
    } finally {
      await database.db.exec('drop table inventory_probe');
    }
  });

  it('gives every personal column a what, when, why, legal basis and retention in both languages', () => {
    for (const [table, columns] of Object.entries(dataInventory)) {
      for (const [column, declaration] of Object.entries(columns)) {
        if (!declaration.personal) continue;
        for (const text of [declaration.what, declaration.when, declaration.why, declaration.retention]) {
          expect(text.en.trim(), `${table}.${column}`).not.toBe('');
          expect(text.de.trim(), `${table}.${column}`).not.toBe('');
        }
      }
    }
  });
});
