import { createServer, type Server } from 'node:http';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentialsWithEmulator } from '../m365/emulator-sign-in.js';
import { MARKETPLACE_RESOURCE } from '../m365/identity/scopes.js';
import { NORTHWIND_TENANT_ID, OPERATOR_TENANT_ID } from '../m365/seed/tenant-ids.js';
import { freePort } from '../test-support/free-port.js';
import { startEmulatorServer, type TestEmulatorServer } from '../test-support/start-emulator-server.js';

/** The marketplace emulator over HTTP: Entra tokens in, the fulfillment API's answers and webhook calls out. */
let server: TestEmulatorServer;
let receiver: Server;
const received: Array<{ authorization: string | undefined; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  const port = await freePort();
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ authorization: request.headers.authorization, body: JSON.parse(text) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  server = await startEmulatorServer({
    overrides: {
      marketplace: {
        landingPageUrl: 'https://publisher.example/landing',
        webhookUrl: `http://127.0.0.1:${port}/webhook`,
      },
    },
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function token(scope: string): Promise<string> {
  const { accessToken } = await clientCredentialsWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: OPERATOR_TENANT_ID,
    clientId: server.config.entra.clientId,
    clientSecret: server.config.entra.clientSecret,
    scope,
  });
  return accessToken;
}

const api = (path: string) =>
  `${server.baseUrl}/emulator/marketplace/api/saas/subscriptions${path}${path.includes('?') ? '&' : '?'}api-version=2018-08-31`;

describe('marketplace emulator', { timeout: 60_000 }, () => {
  it('resolves, activates and notifies, for the publisher app’s marketplace token only', async () => {
    const bought = await server.app.marketplaceEmulator.purchase({
      tenantId: NORTHWIND_TENANT_ID,
      planId: 'team',
      quantity: 4,
    });
    const landing = new URL(bought.landingUrl);
    expect(landing.origin).toBe('https://publisher.example');
    const marketplaceToken = landing.searchParams.get('token') ?? '';
    expect(marketplaceToken).toBe(bought.token);

    const graphToken = await token('https://graph.microsoft.com/.default');
    const refused = await fetch(api('/resolve'), {
      method: 'POST',
      headers: { authorization: `Bearer ${graphToken}`, 'x-ms-marketplace-token': marketplaceToken },
    });
    expect(refused.status).toBe(401);

    const publisher = await token(`${MARKETPLACE_RESOURCE}/.default`);
    expect(decodeJwt(publisher).aud).toBe(MARKETPLACE_RESOURCE);
    const auth = { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' };
    const resolved = await fetch(api('/resolve'), {
      method: 'POST',
      headers: { ...auth, 'x-ms-marketplace-token': marketplaceToken },
    });
    expect(resolved.status).toBe(200);
    const body = (await resolved.json()) as {
      id: string;
      planId: string;
      quantity: number;
      subscription: unknown;
    };
    expect(body).toMatchObject({ id: bought.subscriptionId, planId: 'team', quantity: 4 });
    expect(body.subscription).toMatchObject({
      saasSubscriptionStatus: 'PendingFulfillmentStart',
      purchaser: { tenantId: NORTHWIND_TENANT_ID },
    });

    expect(
      (await fetch(api(`/${bought.subscriptionId}/activate`), { method: 'POST', headers: auth })).status,
    ).toBe(200);
    const after = (await (await fetch(api(`/${bought.subscriptionId}`), { headers: auth })).json()) as {
      saasSubscriptionStatus: string;
      term: { startDate: string; endDate: string };
    };
    expect(after.saasSubscriptionStatus).toBe('Subscribed');
    expect(Date.parse(after.term.endDate)).toBeGreaterThan(Date.parse(after.term.startDate));

    // The customer adds users: the webhook is called with Entra's token for the publisher's app.
    const { operation, delivery } = await server.app.marketplaceEmulator.notify(
      bought.subscriptionId,
      'ChangeQuantity',
      {
        quantity: 6,
      },
    );
    expect(delivery.status).toBe(200);
    const call = received.at(-1);
    expect(call?.body).toMatchObject({
      id: operation.id,
      action: 'ChangeQuantity',
      quantity: 6,
      status: 'InProgress',
    });
    const claims = decodeJwt(call?.authorization?.replace(/^Bearer /, '') ?? '');
    expect(claims).toMatchObject({
      aud: server.config.entra.clientId,
      azp: MARKETPLACE_RESOURCE,
      tid: OPERATOR_TENANT_ID,
    });

    // Applied only when the publisher accepts it.
    expect(server.app.marketplaceEmulator.store.get(bought.subscriptionId).quantity).toBe(4);
    const accepted = await fetch(api(`/${bought.subscriptionId}/operations/${operation.id}`), {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ status: 'Success' }),
    });
    expect(accepted.status).toBe(200);
    expect(server.app.marketplaceEmulator.store.get(bought.subscriptionId).quantity).toBe(6);
  });
});
