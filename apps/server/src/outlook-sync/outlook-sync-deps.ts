import type { FastifyBaseLogger } from 'fastify';
import { type Database, type Queryable, withTenant } from '../db/database.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { OutlookSyncPorts } from './outlook-sync-ports.js';

/** What the mirror's operations need; built once in outlook-sync.jobs.ts. */
export interface OutlookSyncDeps {
  db: Database;
  jobs: JobQueue;
  /** App-only, patient Graph client for a Microsoft tenant (decision 055). */
  graphFor(microsoftTenantId: string): GraphClient;
  now: () => Date;
  /** Absolute URLs of our public endpoints, handed to Graph in each subscription. */
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  ports: OutlookSyncPorts;
  log: FastifyBaseLogger;
}

export async function microsoftTenantIdOf(tx: Queryable, tenantId: string): Promise<string | undefined> {
  const result = await tx.query<{ microsoft_tenant_id: string }>(
    'select microsoft_tenant_id from tenants where id = $1',
    [tenantId],
  );
  return result.rows[0]?.microsoft_tenant_id;
}

export function microsoftTenantIdFor(db: Database, tenantId: string): Promise<string | undefined> {
  return withTenant(db, tenantId, (tx) => microsoftTenantIdOf(tx, tenantId));
}
