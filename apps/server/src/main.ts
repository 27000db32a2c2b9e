import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { startMessage } from './start-message.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const db = await openDatabase(config.database);
  await migrate(db);
  const app = await buildApp({ config, db });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down: no new requests, finishing the ones in flight');
    const forceExit = setTimeout(() => process.exit(1), 15_000);
    forceExit.unref();
    try {
      await app.close();
      await db.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      publicBaseUrl: config.publicBaseUrl,
      host: config.host,
      port: config.port,
      demoMode: config.demoMode,
      database: config.database.kind,
    },
    startMessage(config),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Mailissa failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
