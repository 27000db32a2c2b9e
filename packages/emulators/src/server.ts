import path from 'node:path';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createDominoEmulator, type DominoEmulator } from './domino/domino.plugin.js';
import { DEMO_APP } from './fixture.js';
import { createJiraEmulator, type JiraEmulator } from './jira/jira.plugin.js';
import { emulatorPlugin } from './m365/emulator.plugin.js';
import type { M365EmulatorOptions } from './m365/emulator-context.js';
import { OPERATOR_TENANT_ID } from './m365/seed/tenant-ids.js';
import { type MailCatcher, startMailCatcher } from './mail-catcher/mail-catcher.js';
import { mailCatcherRoutes } from './mail-catcher/mail-catcher.routes.js';
import { marketplaceEmulatorPlugin } from './marketplace/marketplace-emulator.plugin.js';
import { stripeEmulatorPlugin } from './payments/stripe-emulator.plugin.js';
import type { WebhookEndpoint } from './payments/stripe-store.js';
import { viesEmulatorPlugin } from './payments/vies.plugin.js';

/** The Stripe emulator's key when none is given; never valid against Stripe. */
export const DEMO_STRIPE_SECRET_KEY = 'sk_test_mailissa_demo_only_valid_in_the_emulator';

import { createTrelloEmulator, type TrelloEmulator } from './trello/trello.plugin.js';

export interface EmulatorServerOptions {
  /** Where the server is reached; issuers and links start here. */
  publicBaseUrl: string;
  dataDir: string;
  importDir?: string | null;
  nodeEnv?: string;
  app?: M365EmulatorOptions['app'];
  /** SMTP port of the mail catcher (loopback); 0 picks a free one. */
  smtpPort?: number;
  logger?: boolean;
  now?: () => Date;
  /** Fastify's limit on one plugin's start (10 s by default); tests on a busy machine need more. */
  pluginTimeout?: number;
  /** Close keep-alive connections at once on close rather than waiting for clients to drop them. */
  forceCloseConnections?: boolean;
  /** The marketplace's landing page and webhook (defaults: the product's paths on publicBaseUrl). */
  marketplace?: { landingPageUrl: string; webhookUrl: string };
  /** The Stripe emulator's secret key and webhook endpoints (defaults: a demo key, no endpoints). */
  stripe?: { apiKey: string; webhookEndpoints: WebhookEndpoint[] };
}

export interface EmulatorServer {
  app: FastifyInstance;
  catcher: MailCatcher;
  /** The Jira Cloud stand-in under /emulator/jira. */
  jira: JiraEmulator;
  /** The Trello stand-in under /emulator/trello. */
  trello: TrelloEmulator;
  /** The HCL Domino REST API stand-in under /emulator/domino. */
  domino: DominoEmulator;
  close(): Promise<void>;
}

/**
 * The emulators on their own, without the product: the Microsoft 365 emulator under /emulator and
 * the mail catcher (SMTP on loopback, its pages under /emulator/mail), and the Jira, Trello and Domino
 * stand-ins under /emulator/jira, /emulator/trello and /emulator/domino. Its OpenAPI document is at
 * /emulator/openapi.json. Used by `npm run emulator` and by the emulators' own tests.
 */
export async function buildEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const app = Fastify({
    logger: options.logger ?? false,
    routerOptions: { maxParamLength: 1024 },
    pluginTimeout: options.pluginTimeout ?? 120_000,
    ...(options.forceCloseConnections ? { forceCloseConnections: true } : {}),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Mailissa emulators', version: '0.1.0' },
      // Graph routes declare bearer security, as Graph's own description does.
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  const catcher = await startMailCatcher({
    directory: path.join(options.dataDir, 'mail-catcher'),
    port: options.smtpPort ?? 0,
    ...(options.now ? { now: options.now } : {}),
  });
  app.addHook('onClose', async () => catcher.close());
  await app.register(emulatorPlugin, {
    publicBaseUrl: options.publicBaseUrl,
    dataDir: options.dataDir,
    importDir: options.importDir ?? null,
    nodeEnv: options.nodeEnv ?? 'development',
    app: options.app ?? DEMO_APP,
    ...(options.now ? { now: options.now } : {}),
  });
  await app.register(mailCatcherRoutes, { catcher });
  await app.register(stripeEmulatorPlugin, {
    mountPath: '/emulator/stripe',
    baseUrl: `${options.publicBaseUrl}/emulator/stripe`,
    apiKey: options.stripe?.apiKey ?? DEMO_STRIPE_SECRET_KEY,
    webhookEndpoints: options.stripe?.webhookEndpoints ?? [],
    nodeEnv: options.nodeEnv ?? 'development',
    ...(options.now ? { now: options.now } : {}),
  });
  await app.register(marketplaceEmulatorPlugin, {
    mountPath: '/emulator/marketplace',
    baseUrl: `${options.publicBaseUrl}/emulator/marketplace`,
    publisherTenantId: OPERATOR_TENANT_ID,
    landingPageUrl: options.marketplace?.landingPageUrl ?? `${options.publicBaseUrl}/marketplace/landing`,
    webhookUrl: options.marketplace?.webhookUrl ?? `${options.publicBaseUrl}/api/marketplace/webhook`,
    nodeEnv: options.nodeEnv ?? 'development',
    ...(options.now ? { now: options.now } : {}),
  });
  await app.register(viesEmulatorPlugin, {
    mountPath: '/emulator/vies/taxation_customs/vies/rest-api',
    ...(options.now ? { now: options.now } : {}),
  });
  const jira = createJiraEmulator({
    publicBaseUrl: options.publicBaseUrl,
    ...(options.now ? { now: options.now } : {}),
  });
  await app.register(jira.plugin);
  const trello = createTrelloEmulator({
    publicBaseUrl: options.publicBaseUrl,
    ...(options.now ? { now: options.now } : {}),
  });
  await app.register(trello.plugin);
  const domino = createDominoEmulator({
    publicBaseUrl: options.publicBaseUrl,
    ...(options.now ? { now: options.now } : {}),
  });
  await app.register(domino.plugin);
  app.get('/emulator/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return { app, catcher, jira, trello, domino, close: () => app.close() };
}
