import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { DEFAULT_WEB_DIST } from '../web-app/web-app.routes.js';
import { DEMO_TENANT_ID, DEMO_USER_UPN, signInWithEmulator } from './emulators.js';

const EMULATOR_DIST = fileURLToPath(new URL('../../../../packages/emulators/dist/outlook/', import.meta.url));

/** A production-shaped configuration (an Entra app of our own), in test mode so no secrets are required. */
const WITH_ENTRA_APP = {
  ENTRA_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  ENTRA_CLIENT_SECRET: 'not-used-here',
  OPERATOR_TENANT_ID: '11111111-2222-4333-8444-555555555555',
  OPERATOR_OBJECT_IDS: 'aaaaaaaa-2222-4333-8444-555555555555',
  SMTP_URL: 'smtp://127.0.0.1:1',
};

describe('demo mode and the emulators', () => {
  let demo: TestServer;
  let live: TestServer;
  let emulatorAsset: string;

  beforeAll(async () => {
    // One after the other: started together they only contend for the one thread, and each one's
    // start-up limits run while the other works.
    demo = await startTestServer();
    live = await startTestServer({ env: WITH_ENTRA_APP });
    const assets = await readdir(path.join(EMULATOR_DIST, 'assets'));
    emulatorAsset = assets.find((file) => file.endsWith('.js')) ?? '';
  }, 120_000);
  afterAll(async () => {
    await Promise.all([demo?.close(), live?.close()]);
  });

  it('serves the emulators, the Outlook page and its Office.js stand-in in demo mode', async () => {
    expect((await fetch(`${demo.baseUrl}/emulator/tenants`)).status).toBe(200);
    expect((await fetch(`${demo.baseUrl}/emulator/mail`)).status).toBe(200);
    const outlook = await fetch(`${demo.baseUrl}/emulator/outlook/`);
    expect(outlook.status).toBe(200);
    expect(await outlook.text()).toContain('/emulator/outlook/assets/');
    expect((await fetch(`${demo.baseUrl}/emulator/outlook/assets/${emulatorAsset}`)).status).toBe(200);
    const standin = await fetch(`${demo.baseUrl}/emulator/outlook/office.js`);
    expect(standin.headers.get('content-type')).toContain('javascript');
    const addin = await (await fetch(`${demo.baseUrl}/addin/`)).text();
    expect(addin).toContain('<script src="/emulator/outlook/office.js"></script>');
  });

  it('serves no emulator route, page, bundle or source map with a real Entra app', async () => {
    for (const probe of [
      '/emulator/tenants',
      `/emulator/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      '/emulator/graph/v1.0/me',
      '/emulator/mail',
      '/emulator/outlook/',
      '/emulator/outlook/office.js',
      '/emulator/outlook/office-standin.js.map',
      `/emulator/outlook/assets/${emulatorAsset}`,
      `/emulator/outlook/assets/${emulatorAsset}.map`,
    ]) {
      expect((await fetch(`${live.baseUrl}${probe}`)).status, probe).toBe(404);
    }
    const addin = await (await fetch(`${live.baseUrl}/addin/`)).text();
    expect(addin).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
    expect(addin).not.toContain('/emulator/');
    // The product's own bundles hold nothing of the emulators.
    const productAssets = await readdir(path.join(DEFAULT_WEB_DIST, 'assets'));
    expect(productAssets.filter((file) => /office-standin|outlook|EmulatorApp/i.test(file))).toEqual([]);
    const openapi = (await (await fetch(`${live.baseUrl}/api/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(openapi.paths).filter((p) => p.startsWith('/emulator'))).toEqual([]);
  });

  it('signs the demo user in through the emulator and the product accepts the token', async () => {
    const tokens = await signInWithEmulator({
      baseUrl: demo.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: `api://${demo.config.entra.clientId}/access_as_user`,
      clientId: demo.config.entra.clientId,
    });
    const response = await fetch(`${demo.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tenant: { name: string } }).tenant.name).toBe('Contoso Demo');
  });
});
