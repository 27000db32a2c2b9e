import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './app-context.js';
import { createAuthenticateUser } from './auth/authenticate.js';
import { createEntraTokenValidator } from './auth/entra-token-validator.js';
import type { Config } from './config/config.js';
import type { Database } from './db/database.js';
import { seedDemoTenants } from './demo/seed-demo-tenants.js';
import { healthRoutes } from './health/health.routes.js';
import { installErrorHandling } from './http/error-handler.js';
import { loggerOptions } from './http/logging.js';
import type { JobQueue } from './jobs/job-queue.js';
import { startPgBossQueue } from './jobs/pg-boss-queue.js';
import { meRoutes } from './tenancy/me.routes.js';

export interface BuildAppOptions {
  config: Config;
  db: Database;
  /** Replaces the pino options, e.g. to capture log lines in a test. */
  logger?: FastifyServerOptions['logger'];
  /** Replaces the clock, so tests can move time (retention, expiry). */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The context the features were built with; tests reach the clock and the queue through it. */
    appContext: AppContext;
  }
}

export function createAppContext(
  config: Config,
  db: Database,
  jobs: JobQueue,
  now: () => Date = () => new Date(),
): AppContext {
  const validateAccessToken = createEntraTokenValidator({
    authorityBase: config.entra.authorityBase,
    audience: config.entra.clientId,
  });
  return {
    config,
    db,
    validateAccessToken,
    authenticateUser: createAuthenticateUser({
      db,
      validateAccessToken,
      registrationUrl: config.registrationUrl,
    }),
    jobs,
    now,
  };
}

/** Builds the whole server: API, emulator (demo mode) and front ends, without listening. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    // Request ids must not be derived from anything the client sends.
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Mailissa API',
        version: '0.1.0',
        description: 'Outlook add-in, portal and platform API.',
      },
      servers: [{ url: config.publicBaseUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });

  if (config.demoMode) await seedDemoTenants(db);
  const jobs = await startPgBossQueue(db, {
    onError: (error) => app.log.error({ err: error }, 'job queue error'),
  });
  // Stop taking jobs before the database goes away; handlers in flight may finish.
  app.addHook('onClose', async () => jobs.stop());
  const context = createAppContext(config, db, jobs, options.now);
  app.decorate('appContext', context);
  await app.register(healthRoutes, { db });
  await app.register(meRoutes, { context });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
