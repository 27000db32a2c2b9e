import type { Bootstrap, TenantSettings, WebSession } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalClientFor } from '../licensing/licensing.test-support.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { accessTokenFor, demoTenantId } from '../transfer/transfer-test-helpers.js';

/**
 * The tenant's default language (issue 8, part 8) is what a user gets whose own language Mailissa
 * does not speak: the add-in's bootstrap and the portal's session carry it.
 */
describe("the tenant's default language", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });

  it('answers a user whose language we do not speak in the language the administrator chose', async () => {
    const ids = server.app.emulator.ids;
    const token = await accessTokenFor(server, ids.demoTenantId, ids.demoUserUpn);
    const tenantId = await demoTenantId(server);
    const anna = await server.database.db.query<{ id: string; display_name: string }>(
      'select id, display_name from users where email = $1',
      [ids.demoUserUpn],
    );
    const admin = await portalClientFor(server.baseUrl, server.database.db, tenantId, {
      id: anna.rows[0]?.id ?? '',
      name: anna.rows[0]?.display_name ?? '',
      email: ids.demoUserUpn,
    });
    const bootstrapIn = async (acceptLanguage: string, query = '') => {
      const response = await fetch(`${server.baseUrl}/api/bootstrap${query}`, {
        headers: { authorization: `Bearer ${token}`, 'accept-language': acceptLanguage },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as Bootstrap).language;
    };
    const french = 'fr-FR,fr;q=0.9,en;q=0.8';
    expect(await bootstrapIn(french)).toBe('en');

    const settings = await admin.get<TenantSettings>('/portal/api/admin/settings');
    const changed = await admin.put('/portal/api/admin/settings', {
      ...settings.body,
      defaultLanguage: 'de',
    });
    expect(changed.status).toBe(200);

    // French is not ours: the organisation's German; a German or English user keeps their own.
    expect(await bootstrapIn(french)).toBe('de');
    expect(await bootstrapIn('en-GB,en;q=0.9')).toBe('en');
    expect(await bootstrapIn(french, '?lang=en')).toBe('en');
    const session = await admin.get<WebSession>('/auth/session?app=portal');
    expect(session.body.tenant?.defaultLanguage).toBe('de');
  });
});
