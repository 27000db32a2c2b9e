import type { preHandlerAsyncHookHandler } from 'fastify';
import type { ValidateAccessToken } from './auth/entra-token-validator.js';
import type { Config } from './config/config.js';
import type { CredentialKeyring } from './credentials/credential-keyring.js';
import type { Database } from './db/database.js';
import type { TenantGraphFactory } from './graph/tenant-graph.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { Metrics } from './observability/metrics.js';
import type { GroupMembershipCache } from './targets/group-membership-cache.js';
import type { TenantConfigCache } from './targets/tenant-config-cache.js';

/** What every feature gets: configuration, the database and the shared request guards. */
export interface AppContext {
  config: Config;
  db: Database;
  validateAccessToken: ValidateAccessToken;
  authenticateUser: preHandlerAsyncHookHandler;
  /** Guards portal routes: a live portal session cookie (see web-session/, `requireSession`). */
  authenticateSession: preHandlerAsyncHookHandler;
  /** Guards operator console routes (see web-session/, `requireOperatorSession`). */
  authenticateOperator: preHandlerAsyncHookHandler;
  /** The database-backed job queue (pg-boss). */
  jobs: JobQueue;
  /** The current time; tests replace it to move the clock. */
  now: () => Date;
  /** App-only Graph clients per Microsoft tenant. */
  graphFor: TenantGraphFactory;
  /** Each tenant's targets, categories and visibility, cached and invalidated on change (decision 018). */
  tenantConfig: TenantConfigCache;
  /** Each user's transitive group memberships, cached briefly (decision 018). */
  memberships: GroupMembershipCache;
  /** The SSRF-guarded fetch connectors use for every URL a customer entered (connectors/kit/). */
  connectorFetch: typeof fetch;
  /** The same guard's check for a URL a customer is saving (AppError 400 `target_address_refused`). */
  checkTargetUrl: (url: string, field: string) => Promise<void>;
  /** Seals and opens users' credentials for target systems (credentials/). */
  credentials: CredentialKeyring;
  /** Prometheus figures (observability/): features record what the request hooks cannot see. */
  metrics: Metrics;
}
