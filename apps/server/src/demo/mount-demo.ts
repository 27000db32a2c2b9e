import path from 'node:path';
import {
  demoFixture,
  emulatorPlugin,
  mailCatcherRoutes,
  OFFICE_STANDIN_PATH,
  startMailCatcher,
} from '@mailissa/emulators';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { SeedTenant } from './emulators.js';
import { seedDemoTargets } from './seed-demo-targets.js';
import { seedDemoTeam } from './seed-demo-team.js';
import { seedDemoTenants } from './seed-demo-tenants.js';

export interface DemoWiring {
  /** The demo mail catcher's SMTP URL: where the product sends mail unless SMTP_URL says otherwise. */
  smtpUrl: string;
  /** The Office.js stand-in the add-in's page loads instead of Microsoft's. */
  officeJsUrl: string;
}

/**
 * Demo mode: mounts the emulators under /emulator (Microsoft 365 with the Outlook page, the mail
 * catcher), registers the product's app in the emulated tenants, and seeds the customers and
 * targets that match the emulator's seeded world. Loaded only in demo mode (a dynamic import in
 * app.ts), so a production process never loads emulator code.
 */
export async function mountDemo(
  app: FastifyInstance,
  deps: { config: Config; db: Database; now: () => Date; extraTenants?: readonly SeedTenant[] },
): Promise<DemoWiring> {
  const { config } = deps;
  if (config.nodeEnv === 'production' || !config.demoMode) {
    throw new Error('The emulators run only in demo mode and never in production.');
  }
  const tenants = await seedDemoTenants(deps.db);
  await seedDemoTargets(deps.db, tenants.demo);
  await seedDemoTeam(deps.db, tenants.demo);

  await app.register(emulatorPlugin, {
    publicBaseUrl: config.publicBaseUrl,
    dataDir: config.dataDir,
    importDir: config.emulatorImportDir,
    nodeEnv: config.nodeEnv,
    app: { clientId: config.entra.clientId, clientSecret: config.entra.clientSecret ?? '' },
    now: deps.now,
    ...(deps.extraTenants ? { extraTenants: deps.extraTenants } : {}),
  });
  const catcher = await startMailCatcher({
    directory: path.join(config.dataDir, 'mail-catcher'),
    port: config.mail.catcherPort,
    now: deps.now,
  });
  app.addHook('onClose', async () => catcher.close());
  await app.register(mailCatcherRoutes, { catcher });
  return { smtpUrl: catcher.smtpUrl, officeJsUrl: OFFICE_STANDIN_PATH };
}

/**
 * Settings that only mean something against the emulators: unless OPERATOR_TENANT_ID says otherwise,
 * the users of the emulator's operator tenant run the operator console.
 */
export function withDemoDefaults(config: Config): Config {
  return {
    ...config,
    operator: {
      ...config.operator,
      tenantId: config.operator.tenantId ?? demoFixture.tenants.operator.microsoftTenantId,
    },
  };
}
