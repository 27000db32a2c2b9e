import type { ErasureResponse, MyRights, SubjectExport } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { withTenant } from '../db/database.js';
import { DEMO_SECOND_USER_UPN } from '../demo/emulators.js';
import { subjectInventory } from '../privacy/data-inventory.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { accessTokenFor, demoTenantId } from '../transfer/transfer-test-helpers.js';
import { createWebSession } from '../web-session/web-session.store.js';
import { objectsToUsageLog } from './processing-objections.js';
import { columnsOf } from './subject-query.js';

// A server starts in about a minute on the shared, loaded test machine.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

let server: TestServer;
let tenantId: string;

beforeAll(async () => {
  server = await startTestServer();
  tenantId = await demoTenantId(server);
  // Anna first: she becomes the administrator; Jonas is the user who exercises his rights.
  await accessTokenFor(server, server.app.emulator.ids.demoTenantId, server.app.emulator.ids.demoUserUpn);
});
afterAll(async () => {
  await server?.close();
});

async function userIdOf(email: string): Promise<string> {
  const row = await server.database.db.query<{ id: string }>('select id from users where email = $1', [
    email,
  ]);
  return row.rows[0]?.id ?? '';
}

function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

describe('self-service rights of an add-in user', () => {
  it('exports every table the inventory keys by user, as JSON and as a readable page', async () => {
    const jonas = await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    const jonasId = await userIdOf(DEMO_SECOND_USER_UPN);
    await withTenant(server.database.db, tenantId, (tx) =>
      recordAuditEvent(
        tx,
        tenantId,
        { userId: jonasId, name: 'Jonas' },
        {
          action: 'target.renamed',
          subject: { type: 'target', id: 'some-target', label: 'Contracts' },
        },
      ),
    );
    const response = await call(jonas, 'GET', '/api/me/data');
    expect(response.status).toBe(200);
    const data = (await response.json()) as SubjectExport;
    // Every table the inventory declares as the user's: keyed by user id, or hanging on such a table
    // (a transfer's files), read from the declarations here, not from the export's own table list.
    const isTheirs = (table: string): boolean => {
      const subjects = subjectInventory[table];
      if (!subjects) return false;
      if (columnsOf(subjects.keys?.userId).length > 0) return true;
      return subjects.parent ? isTheirs(subjects.parent.table) : false;
    };
    const keyedByUser = Object.keys(subjectInventory).filter(isTheirs).sort();
    expect(keyedByUser.length).toBeGreaterThan(3);
    expect(keyedByUser).toContain('transfer_files');
    expect(data.tables.map((table) => table.table)).toEqual(expect.arrayContaining(keyedByUser));
    const users = data.tables.find((table) => table.table === 'users');
    expect(users?.rows).toEqual([expect.objectContaining({ email: DEMO_SECOND_USER_UPN })]);
    expect(users?.columns.find((column) => column.name === 'email')?.what?.de).toContain('E-Mail');
    expect(data.tables.find((table) => table.table === 'audit_events')?.rows).toHaveLength(1);
    // The export itself is recorded as an answered request.
    expect(data.tables.find((table) => table.table === 'rights_requests')?.rows[0]).toMatchObject({
      kind: 'access',
      status: 'open',
    });

    const page = await call(jonas, 'GET', '/api/me/data.html?lang=de');
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = await page.text();
    expect(text).toContain('Ihre Daten bei Mailissa');
    expect(text).toContain(DEMO_SECOND_USER_UPN);
    // Its own <style> is admitted by the response's CSP nonce, not by 'unsafe-inline'.
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-inline');
    const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(text).toContain(`<style nonce="${nonce}">`);
  });

  it('records an objection to the usage log, which the usage log then skips, and lets it be withdrawn', async () => {
    const jonas = await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    const bad = await call(jonas, 'POST', '/api/me/objections', {
      processing: 'marketing',
      kind: 'objection',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('processing');
    expect(
      (await call(jonas, 'POST', '/api/me/objections', { processing: 'usage_log', kind: 'objection' }))
        .status,
    ).toBe(204);
    const rights = (await (await call(jonas, 'GET', '/api/me/rights')).json()) as MyRights;
    expect(rights.objections).toEqual([
      expect.objectContaining({ processing: 'usage_log', kind: 'objection' }),
    ]);
    expect(rights.identitySource).toBe('microsoft_365');
    const jonasId = await userIdOf(DEMO_SECOND_USER_UPN);
    expect(objectsToUsageLog(server.database.db, jonasId)).toBe(true);
    expect((await call(jonas, 'DELETE', '/api/me/objections/usage_log')).status).toBe(204);
    const after = (await (await call(jonas, 'GET', '/api/me/rights')).json()) as MyRights;
    expect(after.objections).toEqual([]);
    expect(objectsToUsageLog(server.database.db, jonasId)).toBe(false);
  });

  it('erases the user with what hangs on it, pseudonymising audit entries, through the portal too', async () => {
    await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    const jonasId = await userIdOf(DEMO_SECOND_USER_UPN);
    const session = await createWebSession(
      server.database.db,
      { app: 'portal', tenantId, userId: jonasId, displayName: 'Jonas' },
      new Date(),
    );
    const response = await fetch(`${server.baseUrl}/portal/api/me/data?lang=en`, {
      method: 'DELETE',
      headers: { cookie: `mailissa_portal=${session.token}`, 'x-requested-with': 'mailissa' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ErasureResponse;
    expect(body.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'users', action: 'erased', rows: 1 }),
        expect.objectContaining({ table: 'audit_events', action: 'pseudonymised', rows: 1 }),
        expect.objectContaining({ table: 'rights_requests', action: 'kept' }),
      ]),
    );
    const db = server.database.db;
    expect((await db.query('select 1 from users where id = $1', [jonasId])).rowCount).toBe(0);
    expect((await db.query('select 1 from web_sessions where user_id = $1', [jonasId])).rowCount).toBe(0);
    const audit = await db.query<{ actor_name: string }>(
      'select actor_name from audit_events where actor_user_id = $1',
      [jonasId],
    );
    expect(audit.rows.map((row) => row.actor_name)).toEqual(['Erased user']);
    const request = await db.query<{ status: string; result: { outcomes: unknown[] } }>(
      `select status, result from rights_requests where id = $1`,
      [body.requestId],
    );
    expect(request.rows[0]?.status).toBe('completed');
  });

  it('records the person afresh when they come back with the token they had before erasing', async () => {
    const jonas = await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
    // Cached as signed in, then erased through the add-in itself.
    expect((await call(jonas, 'GET', '/api/me/rights')).status).toBe(200);
    const before = await userIdOf(DEMO_SECOND_USER_UPN);
    expect((await call(jonas, 'DELETE', '/api/me/data?lang=en')).status).toBe(200);
    // The same, still valid token: not a user row that no longer exists (that was a 500).
    const objection = await call(jonas, 'POST', '/api/me/objections', {
      processing: 'usage_log',
      kind: 'restriction',
    });
    expect(objection.status).toBe(204);
    const after = await userIdOf(DEMO_SECOND_USER_UPN);
    expect(after).not.toBe('');
    expect(after).not.toBe(before);
  });
});
