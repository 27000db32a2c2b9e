import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/database.js';
import { createWebSession } from '../web-session/web-session.store.js';

/** A tenant of its own for one test, with a running subscription of the given seats. */
export async function createSeatTenant(
  db: Database,
  seats: { team: number; transfer: number },
): Promise<string> {
  const tenant = await db.query<{ id: string }>(
    `insert into tenants (microsoft_tenant_id, name) values ($1, $2) returning id`,
    [randomUUID(), `Seat test ${randomUUID().slice(0, 8)}`],
  );
  const tenantId = tenant.rows[0]?.id ?? '';
  await db.query(
    `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, state, period_end)
     values ($1, 'suite', $2, $3, 'active', now() + interval '30 days')`,
    [tenantId, seats.team, seats.transfer],
  );
  return tenantId;
}

export interface TestMember {
  id: string;
  name: string;
  email: string;
}

/** A user row as a sign-in would leave it, with the admin roles asked for. */
export async function createMember(
  db: Database,
  tenantId: string,
  name: string,
  roles: { userAdmin?: boolean; tenantAdmin?: boolean } = {},
): Promise<TestMember> {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.test`;
  const result = await withTenant(db, tenantId, (tx) =>
    tx.query<{ id: string }>(
      `insert into users (tenant_id, entra_object_id, email, display_name, is_user_admin, is_tenant_admin)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [tenantId, randomUUID(), email, name, roles.userAdmin ?? false, roles.tenantAdmin ?? false],
    ),
  );
  return { id: result.rows[0]?.id ?? '', name, email };
}

/**
 * A portal client signed in as `member`: the session is made the way the sign-in callback makes it,
 * and requests carry its cookie and the same-site header our pages send.
 */
export async function portalClientFor(baseUrl: string, db: Database, tenantId: string, member: TestMember) {
  const { token } = await createWebSession(
    db,
    { app: 'portal', tenantId, userId: member.id, displayName: member.name },
    new Date(),
  );
  const headers = { cookie: `mailissa_portal=${token}`, 'x-requested-with': 'mailissa' };
  async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (text.startsWith('{') ? JSON.parse(text) : {}) as T & { error?: { code: string } };
    return { status: response.status, body: json, text, headers: response.headers };
  }
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('POST', path, body),
    put: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('PUT', path, body),
    delete: <T = Record<string, unknown>>(path: string) => call<T>('DELETE', path),
  };
}
