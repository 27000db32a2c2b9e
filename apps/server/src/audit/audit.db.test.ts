import type { AuditPage, TenantSettings } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/database.js';
import { createMember, createSeatTenant, portalClientFor } from '../licensing/licensing.test-support.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { deleteExpiredAuditEvents } from './delete-expired-audit-events.js';
import { recordAuditEvent } from './record-audit-event.js';

describe('tenant settings and the audit log (portal API)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { SESSION_IDLE_MINUTES: '20' } });
  }, 180_000); // A server in demo mode starts its emulators too: slow on a busy machine.
  afterAll(async () => {
    await server.close();
  });
  const db = () => server.database.db;

  it('changes settings (tenant administrators only), applies the idle sign-out and audits the change', async () => {
    const tenantId = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    const helper = await createMember(db(), tenantId, 'Hugo Helper', { userAdmin: true });
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    const hugo = await portalClientFor(server.baseUrl, db(), tenantId, helper);

    const defaults = await ada.get<TenantSettings>('/portal/api/admin/settings');
    expect(defaults.body).toEqual({
      autoAssignLicences: { team: false, transfer: false },
      portalIdleMinutes: 20,
      defaultLanguage: 'en',
      auditRetentionDays: 365,
    });
    const next: TenantSettings = { ...defaults.body, portalIdleMinutes: 45, defaultLanguage: 'de' };
    expect((await hugo.put('/portal/api/admin/settings', next)).body.error?.code).toBe(
      'tenant_administrator_required',
    );
    const saved = await ada.put<TenantSettings>('/portal/api/admin/settings', next);
    expect(saved.body).toEqual(next);
    const session = await hugo.get<{ idleTimeoutSeconds: number }>('/auth/session?app=portal');
    expect(session.body.idleTimeoutSeconds).toBe(45 * 60);

    const tooShort = await ada.put('/portal/api/admin/settings', { ...next, portalIdleMinutes: 2 });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toContain('portalIdleMinutes');

    const audit = await ada.get<AuditPage>('/portal/api/admin/audit?action=setting.changed');
    expect(audit.body.events).toMatchObject([
      {
        actor: { userId: admin.id, name: 'Ada Admin' },
        before: { portalIdleMinutes: 20, defaultLanguage: 'en' },
        after: { portalIdleMinutes: 45, defaultLanguage: 'de' },
      },
    ]);
  });

  it('ends a portal session after the tenant’s own idle time', async () => {
    const tenantId = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    await db().query(`insert into tenant_settings (tenant_id, portal_idle_minutes) values ($1, 3)`, [
      tenantId,
    ]);
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    expect((await ada.get('/auth/session?app=portal')).status).toBe(200);
    // Four minutes without activity: past this tenant's three, within the server's twenty.
    await db().query(
      `update web_sessions set last_activity_at = now() - interval '4 minutes' where tenant_id = $1`,
      [tenantId],
    );
    const ended = await ada.get('/portal/api/admin/settings');
    expect(ended.status).toBe(401);
    expect(ended.body.error?.code).toBe('session_ended');
  });

  it('filters by person, action and time, pages, and exports the same as CSV', async () => {
    const tenantId = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const admin = await createMember(db(), tenantId, 'Ada Admin', { userAdmin: true, tenantAdmin: true });
    const other = await createMember(db(), tenantId, 'Otto Other', { userAdmin: true });
    await withTenant(db(), tenantId, async (tx) => {
      for (let day = 1; day <= 30; day += 1) {
        await recordAuditEvent(
          tx,
          tenantId,
          day % 2 ? { userId: admin.id, name: admin.name } : { userId: other.id, name: other.name },
          {
            action: day % 3 ? 'licence.assigned' : 'role.granted',
            subject: { type: 'user', id: other.id, label: day === 29 ? '=1+1, "quoted"' : `day ${day}` },
            after: { day },
          },
          new Date(Date.UTC(2026, 9, day, 12)),
        );
      }
    });
    const ada = await portalClientFor(server.baseUrl, db(), tenantId, admin);
    const page = await ada.get<AuditPage>(
      `/portal/api/admin/audit?pageSize=10&page=2&actorUserId=${other.id}`,
    );
    expect(page.body.total).toBe(15);
    expect(page.body.events).toHaveLength(5);
    expect(page.body.events.every((event) => event.actor.userId === other.id)).toBe(true);
    expect(page.body.actors.map((actor) => actor.name)).toEqual(['Ada Admin', 'Otto Other']);

    const range = await ada.get<AuditPage>(
      '/portal/api/admin/audit?action=role.granted&from=2026-10-10T00:00:00Z&to=2026-10-20T00:00:00Z',
    );
    expect(range.body.events.map((event) => event.after)).toEqual([{ day: 18 }, { day: 15 }, { day: 12 }]);

    const csv = await ada.get('/portal/api/admin/audit.csv?action=licence');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const lines = csv.text.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 20);
    expect(lines[1]).toContain(`"'=1+1, ""quoted"""`);

    const badFilter = await ada.get('/portal/api/admin/audit?action=DROP%20TABLE');
    expect(badFilter.status).toBe(400);
    expect(JSON.stringify(badFilter.body)).toContain('action');
  });

  it('deletes entries past each tenant’s retention, keeping the rest', async () => {
    const short = await createSeatTenant(db(), { team: 1, transfer: 1 });
    const standard = await createSeatTenant(db(), { team: 1, transfer: 1 });
    await db().query(`insert into tenant_settings (tenant_id, audit_retention_days) values ($1, 30)`, [
      short,
    ]);
    const now = new Date('2027-06-01T00:00:00Z');
    for (const tenantId of [short, standard]) {
      await withTenant(db(), tenantId, async (tx) => {
        for (const daysAgo of [10, 40, 400]) {
          await recordAuditEvent(
            tx,
            tenantId,
            { system: 'test' },
            { action: 'setting.changed', subject: { type: 'tenant_settings' }, after: { daysAgo } },
            new Date(now.getTime() - daysAgo * 24 * 3600_000),
          );
        }
      });
    }
    await deleteExpiredAuditEvents(db(), now);
    const left = async (tenantId: string) =>
      (
        await withTenant(db(), tenantId, (tx) =>
          tx.query<{ days: number }>(
            `select (after->>'daysAgo')::int as days from audit_events where tenant_id = $1 order by 1`,
            [tenantId],
          ),
        )
      ).rows.map((row) => row.days);
    expect(await left(short)).toEqual([10]);
    expect(await left(standard)).toEqual([10, 40]);
  });
});
