import { setMaxListeners } from 'node:events';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './app-context.js';
import { auditRoutes } from './audit/audit.routes.js';
import { createAuthenticateUser } from './auth/authenticate.js';
import { cacheValidatedTokens } from './auth/cache-validated-tokens.js';
import { clientConfigRoutes } from './auth/client-config.routes.js';
import { createEntraTokenValidator } from './auth/entra-token-validator.js';
import { billingRoutes } from './billing/billing.routes.js';
import { createBillingServices } from './billing/billing-services.js';
import { operatorBillingRoutes } from './billing/operator-billing.routes.js';
import { categoriesRoutes } from './categories/categories.routes.js';
import type { Config } from './config/config.js';
import { loadOrCreateLocalSecret } from './config/local-secret.js';
import { createConnectorNetwork } from './connectors/kit/guarded-fetch.js';
import { targetAccountRoutes } from './connectors/kit/target-account.routes.js';
import { targetRecordsRoutes } from './connectors/kit/target-records.routes.js';
import { m365PickerRoutes } from './connectors/m365/m365-pickers.routes.js';
import { downloadLinkRoutes } from './connectors/webhook/download-links.routes.js';
import { contactRoutes } from './contact/contact.routes.js';
import { type CredentialKeyring, loadCredentialKeyring } from './credentials/credential-keyring.js';
import { credentialsRoutes } from './credentials/credentials.routes.js';
import type { Database } from './db/database.js';
import type { SeedTenant } from './demo/emulators.js';
import { directoryRoutes } from './directory/directory.routes.js';
import { tenantGraphFactory } from './graph/tenant-graph.js';
import { healthRoutes } from './health/health.routes.js';
import { installCompression } from './http/compression.js';
import { answerClientError, answerFrameworkError, installErrorHandling } from './http/error-handler.js';
import { installInputHygiene } from './http/input-hygiene.js';
import { lazyRequestLoggers, loggerOptions, OneLinePerRequest } from './http/logging.js';
import { installNoStore } from './http/no-store.js';
import { installRateLimit } from './http/rate-limit.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { loadTlsOptions } from './http/tls-options.js';
import { installWriteBatching } from './http/write-batching.js';
import type { JobQueue } from './jobs/job-queue.js';
import { startPgBossQueue } from './jobs/pg-boss-queue.js';
import { allJobs, registerJobs } from './jobs/register-jobs.js';
import { createWorkerLeases } from './jobs/worker-leases.js';
import { licensingRoutes } from './licensing/licensing.routes.js';
import { createMailSender } from './mail/create-mail-sender.js';
import { marketplaceRoutes } from './marketplace/marketplace.routes.js';
import { newsletterRoutes } from './newsletter/newsletter.routes.js';
import { createMetrics, installRequestMetrics, type Metrics } from './observability/metrics.js';
import { metricsRoutes } from './observability/metrics.routes.js';
import {
  createTracing,
  installRequestTracing,
  type Tracing,
  traceFetch,
  traceJobs,
} from './observability/tracing.js';
import { operatorRoutes } from './operator/operator.routes.js';
import { operatorPageRoutes } from './operator/operator-page.routes.js';
import { outlookSyncRoutes } from './outlook-sync/outlook-sync.routes.js';
import { installUsageLog } from './privacy/usage-log.js';
import { registrationRoutes } from './registration/registration.routes.js';
import { rightsRoutes } from './rights/rights.routes.js';
import { GroupMembershipCache } from './targets/group-membership-cache.js';
import { portalTargetsRoutes } from './targets/portal-targets.routes.js';
import { targetsRoutes } from './targets/targets.routes.js';
import { TenantConfigCache } from './targets/tenant-config-cache.js';
import { portalTeamsRoutes } from './team/portal-teams.routes.js';
import { teamRoutes } from './team/team.routes.js';
import { meRoutes } from './tenancy/me.routes.js';
import { portalUsersRoutes } from './tenancy/portal-users.routes.js';
import { tenantSettingsRoutes } from './tenant-settings/tenant-settings.routes.js';
import { portalTransferRoutes } from './transfer/portal-transfer.routes.js';
import { transferRoutes } from './transfer/transfer.routes.js';
import { transferOptionsRoutes } from './transfer/transfer-options.routes.js';
import { webAppRoutes } from './web-app/web-app.routes.js';
import { createSessionAuthenticator } from './web-session/authenticate-session.js';
import { webSessionRoutes } from './web-session/web-session.routes.js';
import { installBrowserErrorPages } from './website/browser-error-pages.js';
import { websiteRoutes } from './website/website.routes.js';

export interface BuildAppOptions {
  config: Config;
  db: Database;
  /** Replaces the pino options, e.g. to capture log lines in a test. */
  logger?: FastifyServerOptions['logger'];
  /** Replaces the clock, so tests can move time (retention, expiry). */
  now?: () => Date;
  /** Demo mode: more emulated tenants, e.g. the benchmark's generated large tenant. */
  demoExtraTenants?: readonly SeedTenant[];
  /** Fastify's limit on one plugin's start (10 s by default); tests on a busy machine need more. */
  pluginTimeout?: number;
  /** Close keep-alive connections at once on close (tests), rather than waiting for clients to drop them. */
  forceCloseConnections?: boolean;
  /** Replaces the traces made from TRACING settings, e.g. with an in-memory exporter in a test. */
  tracing?: Tracing;
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
  credentials: CredentialKeyring,
  now: () => Date = () => new Date(),
  metrics: Metrics = createMetrics(db),
  tracing: Tracing | null = null,
): AppContext {
  const validateAccessToken = cacheValidatedTokens(
    createEntraTokenValidator({
      authorityBase: config.entra.authorityBase,
      audience: config.entra.clientId,
    }),
    now,
  );
  const tenantConfig = new TenantConfigCache(db, () => now().getTime());
  const graphFetch = metrics.observeGraphFetch(fetch);
  const graphFor = tenantGraphFactory(config, tracing ? traceFetch(tracing.tracer, graphFetch) : graphFetch);
  const network = createConnectorNetwork({ allowedOrigins: config.connectors.allowedOrigins });
  return {
    config,
    db,
    validateAccessToken,
    authenticateUser: createAuthenticateUser({
      db,
      validateAccessToken,
      registrationUrl: config.registrationUrl,
      now,
      onTenantChange: (listener) => tenantConfig.onInvalidate(listener),
    }),
    ...createSessionAuthenticatorsFor(config, db, now),
    jobs,
    now,
    graphFor,
    tenantConfig,
    credentials,
    metrics,
    connectorFetch: network.fetch,
    checkTargetUrl: network.checkUrl,
    memberships: new GroupMembershipCache(
      (microsoftTenantId) => graphFor(microsoftTenantId, { profile: 'request' }),
      () => now().getTime(),
    ),
  };
}

function createSessionAuthenticatorsFor(config: Config, db: Database, now: () => Date) {
  const { authenticatePortalSession, authenticateOperatorSession } = createSessionAuthenticator({
    db,
    config,
    now,
  });
  return {
    authenticateSession: authenticatePortalSession,
    authenticateOperator: authenticateOperatorSession,
  };
}

/** Builds the whole server: API, emulator (demo mode) and front ends, without listening. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { db } = options;
  // Demo mode's defaults come from the emulators' fixture; a dynamic import keeps it out of production.
  const demoWiring = options.config.demoMode ? await import('./demo/mount-demo.js') : null;
  const config = demoWiring ? demoWiring.withDemoDefaults(options.config) : options.config;
  // TLS_CERT_FILE/TLS_KEY_FILE: the server speaks HTTPS itself; otherwise plain HTTP behind a proxy.
  const tls = await loadTlsOptions(config);
  // One line per request, once answered (http/logging.ts).
  const requestLines = new OneLinePerRequest();
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    logController: requestLines,
    // A request's logger is made when something is written through it: most requests write nothing.
    childLoggerFactory: lazyRequestLoggers,
    trustProxy: config.trustProxy,
    // Graph's message and attachment ids run past Fastify's default of 100 characters.
    routerOptions: { maxParamLength: 1024 },
    // Request ids must not be derived from anything the client sends.
    genReqId: () => crypto.randomUUID(),
    // Fastify's 10 s per plugin is too short on a busy machine for the demo emulators' start
    // (key pairs, seed); a plugin that truly hangs still fails the start, only later.
    pluginTimeout: options.pluginTimeout ?? 120_000,
    // Errors raised before routing leave in the one error body too (http/error-handler.ts).
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    ...(tls ? { https: tls } : {}),
    ...(options.forceCloseConnections ? { forceCloseConnections: true } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  requestLines.useLogger(app.log);
  // First of all hooks: every later hook, the handler and their log lines run inside the request's span.
  const tracing = options.tracing ?? createTracing(config.tracing);
  installRequestTracing(app, tracing);
  // Answers ready in one turn of the event loop leave together after its I/O (decision 185).
  installWriteBatching(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  // Browsers that navigate to a failing page outside the APIs get the website's error page.
  installBrowserErrorPages(app, config);
  installNoStore(app);

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
    // The product's API only: the emulators document themselves (/emulator/openapi.json when standalone).
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      if (!input.url.startsWith('/emulator/')) return transformed;
      return { ...transformed, schema: { ...transformed.schema, hide: true } };
    },
  });

  const runsJobs = config.processRole !== 'api';
  const jobs = traceJobs(
    await startPgBossQueue(db, {
      runsJobs,
      stopGraceSeconds: config.shutdownGraceSeconds,
      pollingIntervalSeconds: config.jobPollSeconds,
      onError: (error) => app.log.error({ err: error }, 'job queue error'),
    }),
    tracing.tracer,
  );
  // Stop taking jobs before the database goes away; handlers in flight may finish.
  app.addHook('onClose', async () => jobs.stop());
  // Then handlers still in flight are aborted: a transfer stops as if the process had died and
  // resumes on the next start.
  const stopping = new AbortController();
  // Every outgoing call of every job in flight listens on this one signal, and fetch drops its
  // listener only when the request is garbage-collected: thousands at once under load are expected,
  // not a leak, and must not fill the log with Node's leak warning.
  setMaxListeners(0, stopping.signal);
  app.addHook('onClose', async () => stopping.abort(new Error('the server is shutting down')));
  // After the queue stopped: the spans of the jobs it ran still leave for the collector.
  app.addHook('onClose', async () => tracing.shutdown());
  const context = createAppContext(
    config,
    db,
    jobs,
    await loadCredentialKeyring(config),
    options.now,
    undefined,
    tracing,
  );
  app.decorate('appContext', context);
  await context.tenantConfig.start();
  app.addHook('onClose', async () => context.tenantConfig.stop());
  // Before any route: security headers, rate limit, blocks and the anonymised usage log apply to all.
  installSecurityHeaders(app, config);
  await installRateLimit(app, config, { db, now: context.now });
  await installCompression(app);
  installUsageLog(app, context);
  installRequestMetrics(app, context.metrics);
  if (config.metricsToken) {
    await app.register(metricsRoutes, { metrics: context.metrics, token: config.metricsToken });
  }
  installInputHygiene(app);
  // Registered once for every feature: signed cookies use the session secret.
  await app.register(fastifyCookie, {
    // The first secret signs; earlier ones (SESSION_OLD_SECRETS) still verify after a rotation.
    secret: [
      config.sessionSecret ?? (await loadOrCreateLocalSecret(config.dataDir, 'session')),
      ...config.sessionOldSecrets,
    ],
  });
  // Demo mode: the emulators under /emulator and the matching demo customers. A dynamic import, so
  // a production process never loads emulator code.
  const demo = demoWiring
    ? await demoWiring.mountDemo(app, {
        config,
        db,
        now: context.now,
        ...(options.demoExtraTenants ? { extraTenants: options.demoExtraTenants } : {}),
      })
    : null;
  await app.register(healthRoutes, { db });
  await app.register(clientConfigRoutes, { config });
  await app.register(webSessionRoutes, { context });
  await app.register(meRoutes, { context });
  await app.register(portalUsersRoutes, { context });
  await app.register(targetsRoutes, { context });
  await app.register(targetAccountRoutes, { context });
  await app.register(targetRecordsRoutes, { context });
  await app.register(portalTargetsRoutes, { context });
  await app.register(m365PickerRoutes, { context });
  await app.register(categoriesRoutes, { context });
  await app.register(credentialsRoutes, { context });
  await app.register(transferRoutes, { context });
  await app.register(transferOptionsRoutes, { context });
  await app.register(portalTransferRoutes, { context });
  await app.register(downloadLinkRoutes, { context });
  await app.register(licensingRoutes, { context });
  await app.register(tenantSettingsRoutes, { context });
  await app.register(auditRoutes, { context });
  await app.register(directoryRoutes, { context });
  await app.register(teamRoutes, { context });
  await app.register(portalTeamsRoutes, { context });
  await app.register(outlookSyncRoutes, { context });
  // Outgoing mail; in demo mode the emulators' mail catcher receives it (shown at /emulator/mail).
  const mail = createMailSender({
    smtpUrl: config.mail.smtpUrl ?? demo?.smtpUrl ?? null,
    from: config.mail.from,
  });
  app.addHook('onClose', async () => mail.close());
  // Every feature's queues and schedules, in one place.
  // A worker that dies hands its jobs back within seconds, not at the queue's expiry (decision 090).
  const leases = config.processRole === 'api' ? undefined : createWorkerLeases(db, jobs, config.processRole);
  if (leases) {
    await leases.start();
    app.addHook('onClose', async () => leases.stop());
  }
  // In demo mode Microsoft is this very server: a job that ran before it listens would find
  // Microsoft unreachable and wait out a retry's back-off. Its workers take jobs once it listens.
  const listening = demo
    ? new Promise<void>((resolve) => {
        app.addHook('onListen', async () => resolve());
      })
    : undefined;
  await registerJobs(jobs, await allJobs({ context, mail, log: app.log, signal: stopping.signal }), {
    work: runsJobs,
    ...(leases ? { leases } : {}),
    ...(listening ? { startWhen: listening } : {}),
  });
  await app.register(contactRoutes, { context });
  await app.register(newsletterRoutes, { context });
  const billing = createBillingServices(config);
  await app.register(billingRoutes, { context, provider: billing.provider });
  await app.register(registrationRoutes, { context, billing, mail });
  await app.register(marketplaceRoutes, { context });
  await app.register(operatorRoutes, { context });
  await app.register(operatorBillingRoutes, { context, provider: billing.provider });
  await app.register(operatorPageRoutes);
  await app.register(rightsRoutes, { context, mail });

  await app.register(websiteRoutes, { context });
  await app.register(webAppRoutes, { config, ...(demo ? { officeJsUrl: demo.officeJsUrl } : {}) });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
