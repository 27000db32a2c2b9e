import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import { chooseUserOnEmulatorPicker } from '../emulator-sign-in.js';
import { NORTHWIND_ADMIN_UPN, NORTHWIND_USER_UPN, SEED_TENANTS } from '../seed/directory-seed.js';
import { NORTHWIND_TENANT_ID } from '../seed/tenant-ids.js';

let server: TestEmulatorServer;

beforeAll(async () => {
  server = await startEmulatorServer();
}, 240_000);
afterAll(async () => server?.close());

function consentUrl(overrides: Record<string, string> = {}): string {
  const url = new URL(`${server.baseUrl}/emulator/${NORTHWIND_TENANT_ID}/v2.0/adminconsent`);
  url.search = new URLSearchParams({
    client_id: server.config.entra.clientId,
    scope: 'https://graph.microsoft.com/.default',
    redirect_uri: `${server.baseUrl}/consent-done`,
    state: 'st-42',
    ...overrides,
  }).toString();
  return url.toString();
}

function post(values: Record<string, string>): Promise<Response> {
  return fetch(`${server.baseUrl}/emulator/${NORTHWIND_TENANT_ID}/v2.0/adminconsent`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values).toString(),
    redirect: 'manual',
  });
}

describe('emulator: admin consent (docs/microsoft-365.md §2.9)', { timeout: 60_000 }, () => {
  it('answers as Microsoft does when a global administrator accepts: admin_consent=True&tenant&state', async () => {
    const back = await chooseUserOnEmulatorPicker(consentUrl(), NORTHWIND_ADMIN_UPN);
    expect(back.pathname).toBe('/consent-done');
    expect(back.searchParams.get('admin_consent')).toBe('True');
    expect(back.searchParams.get('tenant')).toBe(NORTHWIND_TENANT_ID);
    expect(back.searchParams.get('state')).toBe('st-42');
  });

  it('offers only global administrators, refuses anyone else, and returns the error parameters on cancel', async () => {
    await expect(chooseUserOnEmulatorPicker(consentUrl(), NORTHWIND_USER_UPN)).rejects.toThrow(
      /does not offer/,
    );
    const northwind = SEED_TENANTS.find((tenant) => tenant.tenantId === NORTHWIND_TENANT_ID);
    const colleague = northwind?.users.find((user) => user.userPrincipalName === NORTHWIND_USER_UPN);
    const base = {
      client_id: server.config.entra.clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: `${server.baseUrl}/consent-done`,
      state: 'st-43',
    };
    const refused = await post({ ...base, emulator_user: colleague?.id ?? '' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('AADSTS90094');

    const cancelled = await post({ ...base, emulator_decline: '1' });
    expect(cancelled.status).toBe(302);
    const location = new URL(cancelled.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-43');
    expect(location.searchParams.get('admin_consent')).toBeNull();
  });

  it('refuses a redirect URI on another origin and an unknown application on its own page', async () => {
    const foreign = await fetch(consentUrl({ redirect_uri: 'https://evil.example/x' }), {
      redirect: 'manual',
    });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('AADSTS50011');
    const unknown = await fetch(consentUrl({ client_id: '11111111-2222-4333-8444-555555555555' }), {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('AADSTS700016');
  });
});
