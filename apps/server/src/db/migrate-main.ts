import { ConfigError, loadConfig } from '../config/config.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open-database.js';

/**
 * `npm run migrate`: applies pending migrations and exits. Deployments run it once per release
 * (the Kubernetes migration job, docs/operations.md) before new processes start; every server also
 * migrates at start, safely, under the same advisory lock.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const applied = await migrate(db);
    process.stdout.write(
      applied.length > 0
        ? `applied ${applied.length} migrations: ${applied.join(', ')}\n`
        : 'no pending migrations\n',
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
