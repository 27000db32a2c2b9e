import path from 'node:path';
import {
  createDominoEmulator,
  createJiraEmulator,
  createTrelloEmulator,
  demoFixture,
  emulatorPlugin,
  mailCatcherRoutes,
  marketplaceEmulatorPlugin,
  OFFICE_STANDIN_PATH,
  startMailCatcher,
  stripeEmulatorPlugin,
  viesEmulatorPlugin,
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
  // The payment provider and VIES stand-ins: the product's Stripe SDK and VIES client talk to these
  // over HTTP, and the Stripe emulator signs and POSTs its events to the product's webhook.
  const emulatorBase = `${config.publicBaseUrl}/emulator`;
  if (config.billing.stripe?.apiBase === `${emulatorBase}/stripe`) {
    await app.register(stripeEmulatorPlugin, {
      mountPath: '/emulator/stripe',
      baseUrl: `${emulatorBase}/stripe`,
      apiKey: config.billing.stripe.secretKey,
      webhookEndpoints: [
        {
          url: `${config.publicBaseUrl}/api/billing/stripe/webhook`,
          secret: config.billing.stripe.webhookSecret,
        },
      ],
      nodeEnv: config.nodeEnv,
      now: deps.now,
    });
  }
  const marketplace = config.billing.marketplace;
  if (marketplace?.apiBase === `${emulatorBase}/marketplace` && marketplace.publisherTenantId) {
    await app.register(marketplaceEmulatorPlugin, {
      mountPath: '/emulator/marketplace',
      baseUrl: marketplace.apiBase,
      publisherTenantId: marketplace.publisherTenantId,
      landingPageUrl: `${config.publicBaseUrl}/marketplace/landing`,
      webhookUrl: `${config.publicBaseUrl}/api/marketplace/webhook`,
      nodeEnv: config.nodeEnv,
      now: deps.now,
    });
  }
  await app.register(viesEmulatorPlugin, {
    mountPath: '/emulator/vies/taxation_customs/vies/rest-api',
    now: deps.now,
  });
  // The SaaS stand-ins (their README.md beside them): Jira Cloud, Trello and Domino under /emulator/….
  await app.register(createJiraEmulator({ publicBaseUrl: config.publicBaseUrl, now: deps.now }).plugin);
  await app.register(createTrelloEmulator({ publicBaseUrl: config.publicBaseUrl, now: deps.now }).plugin);
  await app.register(createDominoEmulator({ publicBaseUrl: config.publicBaseUrl, now: deps.now }).plugin);
  return { smtpUrl: catcher.smtpUrl, officeJsUrl: OFFICE_STANDIN_PATH };
}

/**
 * Settings that only mean something against the emulators: unless OPERATOR_TENANT_ID says otherwise,
 * the users of the emulator's operator tenant run the operator console.
 */
export function withDemoDefaults(config: Config): Config {
  const operatorTenantId = demoFixture.tenants.operator.microsoftTenantId;
  return {
    ...config,
    billing: {
      ...config.billing,
      // The emulator's operator tenant is where the demo's app registration lives.
      marketplace: config.billing.marketplace && {
        ...config.billing.marketplace,
        publisherTenantId: config.billing.marketplace.publisherTenantId ?? operatorTenantId,
      },
    },
    operator: {
      ...config.operator,
      tenantId: config.operator.tenantId ?? demoFixture.tenants.operator.microsoftTenantId,
    },
  };
}
