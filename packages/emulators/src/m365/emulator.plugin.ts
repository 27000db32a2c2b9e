import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { JWTPayload } from 'jose';
import type { EmulatorContext, M365EmulatorOptions } from './emulator-context.js';
import { FaultInjector, type FaultSpec } from './faults.js';
import { CollaborationStore } from './graph/collaboration-store.js';
import { Directory } from './graph/directory.js';
import { DriveStore } from './graph/drive-store.js';
import { graphPlugin } from './graph/graph.plugin.js';
import { type ImportReport, MailboxStore } from './graph/mailbox-store.js';
import {
  type DeliveryRecord,
  type LifecycleEvent,
  type Subscription,
  SubscriptionStore,
} from './graph/subscription-store.js';
import { adminConsentRoutes } from './identity/admin-consent.routes.js';
import { authorizeRoutes } from './identity/authorize.routes.js';
import { discoveryRoutes } from './identity/discovery.routes.js';
import { GrantStore } from './identity/grant-store.js';
import { loadSigningKeys } from './identity/signing-keys.js';
import { tokenRoutes } from './identity/token.routes.js';
import { createTokenIssuer } from './identity/token-issuer.js';
import { verifyEmulatorToken } from './identity/verify-token.js';
import { outlookRoutes } from './outlook.routes.js';
import { outlookMailboxRoutes } from './outlook-mailboxes.routes.js';
import { groupDriveSeeds } from './seed/collaboration-seed.js';
import type { SeedTenant } from './seed/directory-seed.js';
import { DEMO_USER_OID, DEMO_USER_UPN, SEED_TENANTS } from './seed/directory-seed.js';
import { DEMO_DRIVE_ID, personalDriveSeed, SECOND_DRIVE_ID, SEED_DRIVES } from './seed/drive-seed.js';
import { readSeedMails } from './seed/seed-mails.js';
import { DEMO_TENANT_ID, OPERATOR_TENANT_ID, SECOND_TENANT_ID } from './seed/tenant-ids.js';

/** What tests, benchmarks and other features reach through `app.emulator`. */
export interface EmulatorHandle {
  faults: {
    inject(spec: FaultSpec): void;
    clear(): void;
    pending(): number;
  };
  ids: {
    demoTenantId: string;
    secondTenantId: string;
    operatorTenantId: string;
    demoUserUpn: string;
    demoUserOid: string;
    demoDriveId: string;
    secondDriveId: string;
  };
  /** Change-notification subscriptions (docs/microsoft-365.md §4.9) as tests and the demo see them. */
  subscriptions: {
    list(): Subscription[];
    /** Sends a lifecycle notification; false when there is no such subscription or lifecycle URL. */
    lifecycle(id: string, event: LifecycleEvent): boolean;
    /** Resolves when every notification POST started so far has finished. */
    settle(): Promise<void>;
    deliveries: readonly DeliveryRecord[];
  };
  /**
   * Entra as other emulated Microsoft services use it: the commercial marketplace signs its webhook
   * calls with an app token from here and checks the publisher's tokens against the same keys.
   */
  identity: {
    appAccessToken(input: { tenantId: string; audience: string; clientId: string }): Promise<string>;
    /** The verified claims, or a TokenVerificationError naming what is wrong. */
    verifyAccessToken(token: string, audiences: string[]): Promise<JWTPayload & { tid: string }>;
    /** The one application registered in every emulated tenant (the product). */
    clientId: string;
    /** The seeded tenants, for emulated services that sell to them. */
    tenants(): readonly SeedTenant[];
  };
  /** What EMULATOR_IMPORT_DIR contributed at start, and which files were skipped and why. */
  importReport: ImportReport;
  /** `${publicBaseUrl}/emulator` and the Graph base URL. */
  emulatorBase: string;
  graphBase: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    emulator: EmulatorHandle;
  }
}

/**
 * The Microsoft 365 emulator of demo mode: an Entra ID v2 look-alike per seeded tenant and a Graph
 * v1.0 subset, all under /emulator. Never in production: configuration refuses demo mode there and
 * this plugin refuses again, so a wiring mistake cannot expose a sign-in page without passwords.
 */
export const emulatorPlugin: FastifyPluginAsyncZod<M365EmulatorOptions> = async (app, options) => {
  if (options.nodeEnv === 'production') {
    throw new Error('The Microsoft 365 emulator must never run in production (NODE_ENV=production).');
  }
  const now = options.now ?? (() => new Date());
  const emulatorBase = `${options.publicBaseUrl}/emulator`;
  const directory = new Directory([...SEED_TENANTS, ...(options.extraTenants ?? [])]);
  const keys = await loadSigningKeys(options.dataDir);
  const [mailboxes, drives] = await Promise.all([
    readSeedMails().then((seedMails) =>
      MailboxStore.create({
        directory,
        seedMails,
        importDir: options.importDir,
        now,
        warn: (message) => app.log.warn(message),
        info: (message) => app.log.info(message),
      }),
    ),
    DriveStore.create({
      dataDir: options.dataDir,
      seeds: SEED_DRIVES,
      personal: [
        ...SEED_TENANTS.flatMap((tenant) => tenant.users.map(personalDriveSeed)),
        ...groupDriveSeeds(SEED_TENANTS),
      ],
      now,
    }),
  ]);
  const faults = new FaultInjector();
  const subscriptions = new SubscriptionStore(now, mailboxes, (message) => app.log.warn(message));
  const context: EmulatorContext = {
    options,
    now,
    emulatorBase,
    graphBase: `${emulatorBase}/graph/v1.0`,
    keys,
    tokens: createTokenIssuer({ keys, emulatorBase, now }),
    grants: new GrantStore(now),
    directory,
    mailboxes,
    drives,
    subscriptions,
    collaboration: new CollaborationStore(now),
    faults,
  };

  app.decorate('emulator', {
    faults: {
      inject: (spec: FaultSpec) => faults.inject(spec),
      clear: () => faults.clear(),
      pending: () => faults.pending(),
    },
    ids: {
      demoTenantId: DEMO_TENANT_ID,
      secondTenantId: SECOND_TENANT_ID,
      operatorTenantId: OPERATOR_TENANT_ID,
      demoUserUpn: DEMO_USER_UPN,
      demoUserOid: DEMO_USER_OID,
      demoDriveId: DEMO_DRIVE_ID,
      secondDriveId: SECOND_DRIVE_ID,
    },
    subscriptions: {
      list: () => subscriptions.all(),
      lifecycle: (id: string, event: LifecycleEvent) => subscriptions.lifecycle(id, event),
      settle: () => subscriptions.settle(),
      deliveries: subscriptions.deliveries,
    },
    identity: {
      appAccessToken: (input) => context.tokens.appAccessToken({ ...input, roles: [] }),
      verifyAccessToken: (token, audiences) => verifyEmulatorToken(context, token, audiences),
      clientId: options.app.clientId,
      tenants: () => directory.tenants,
    },
    importReport: mailboxes.importReport,
    emulatorBase,
    graphBase: context.graphBase,
  } satisfies EmulatorHandle);

  // The identity endpoints take form posts (token, picker); scoped so the product's routes are unaffected.
  await app.register(async (identity) => {
    await identity.register(formbody);
    await identity.register(discoveryRoutes, { context });
    await identity.register(authorizeRoutes, { context });
    await identity.register(adminConsentRoutes, { context });
    await identity.register(tokenRoutes, { context });
  });
  await app.register(graphPlugin, { context });
  await app.register(outlookMailboxRoutes, { context });
  await app.register(outlookRoutes, options.outlookDistDir ? { distDir: options.outlookDistDir } : {});
};

// Like fastify-plugin: run in the registering scope, so `app.emulator` is visible on the root instance
// (tests and other features reach the fault injector through it). The routes inside stay encapsulated.
Object.defineProperty(emulatorPlugin, Symbol.for('skip-override'), { value: true });
Object.defineProperty(emulatorPlugin, Symbol.for('fastify.display-name'), { value: 'mailissa-emulator' });
