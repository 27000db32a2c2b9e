import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openPostgresDatabase } from './postgres-database.js';

export async function openDatabase(database: Config['database']): Promise<Database> {
  if (database.kind === 'postgres') return openPostgresDatabase(database.url);
  return openPgliteDatabase(database.dataDir === null ? null : path.join(database.dataDir, 'pglite'));
}
