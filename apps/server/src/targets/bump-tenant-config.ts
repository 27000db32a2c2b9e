import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import type { Queryable } from '../db/database.js';

/** The channel on which PostgreSQL tells every server that a tenant's configuration changed. */
export const TENANT_CONFIG_CHANNEL = 'mailissa_tenant_config';

/**
 * Marks the tenant's configuration (targets, categories, visibility, roles, licences) as changed, in
 * the caller's transaction: raises `tenants.config_version` and, on commit, notifies the other
 * servers (PostgreSQL delivers NOTIFY only when the transaction commits; decision 018). The caller
 * also invalidates its own process's caches after the commit. Must run inside withTenant().
 */
export async function bumpTenantConfig(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(
    `update tenants set config_version = config_version + 1 where id = $1 returning config_version`,
    [tenantId],
  );
  await tx.query(`select pg_notify($1, $2)`, [TENANT_CONFIG_CHANNEL, tenantId]);
}

/**
 * Registers, on a plugin of portal routes, that every successful change made through them
 * (roles, licences, settings) reaches the caches at once: this process drops the tenant's cached
 * sign-ins and PostgreSQL tells the other servers (decision 018).
 */
export function announceTenantChangesOf(
  app: FastifyInstance,
  context: Pick<AppContext, 'db' | 'tenantConfig'>,
): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || reply.statusCode >= 400) return;
    const session = request.webSession;
    if (session?.app !== 'portal') return;
    context.tenantConfig.invalidate(session.tenantId);
    await context.db.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, session.tenantId]);
  });
}
