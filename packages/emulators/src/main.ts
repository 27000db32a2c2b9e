import { buildEmulatorServer } from './server.js';

/**
 * `npm run emulator`: the emulators on their own port, e.g. to point a development build of the
 * product at them (ENTRA_AUTHORITY_BASE=http://localhost:4000/emulator …). Settings:
 * EMULATOR_PORT (4000), EMULATOR_HOST (127.0.0.1), EMULATOR_DATA_DIR (./data/emulators),
 * EMULATOR_SMTP_PORT (2525), EMULATOR_IMPORT_DIR.
 */
function setting(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The emulators never run in production (NODE_ENV=production).');
  }
  const port = Number(setting('EMULATOR_PORT', '4000'));
  const host = setting('EMULATOR_HOST', '127.0.0.1');
  const publicBaseUrl = setting('EMULATOR_PUBLIC_BASE_URL', `http://localhost:${port}`);
  const server = await buildEmulatorServer({
    publicBaseUrl,
    dataDir: setting('EMULATOR_DATA_DIR', './data/emulators'),
    importDir: process.env.EMULATOR_IMPORT_DIR || null,
    smtpPort: Number(setting('EMULATOR_SMTP_PORT', '2525')),
    logger: true,
  });
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await server.app.listen({ port, host });
  server.app.log.info(
    `Emulators at ${publicBaseUrl}/emulator (tenants: /emulator/tenants, mail: /emulator/mail, SMTP on ${host}:${server.catcher.port})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The emulators failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
