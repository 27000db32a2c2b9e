import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProviderSubscription } from '../billing/apply-provider-subscription.js';
import {
  chooseUserOnEmulatorPicker,
  hiddenField,
  MARKETPLACE_RESOURCE,
  NORTHWIND_ADMIN_UPN,
  NORTHWIND_TENANT_ID,
  NORTHWIND_USER_UPN,
  OPERATOR_TENANT_ID,
  type SaasAction,
  SECOND_TENANT_ID,
} from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The marketplace over real HTTP against a demo-mode server: the emulator sells, the landing page
 * resolves and activates after Microsoft's (the emulator's) sign-in, and the emulator's webhook calls
 * — signed by its Entra ID — are confirmed through the operations API and applied once.
 */
let server: TestServer;
let tenantId: string;
let subscriptionId: string;

const market = () => server.app.marketplaceEmulator;

async function purchase(tenant: string, planId: string, quantity: number) {
  const response = await fetch(`${server.baseUrl}/emulator/marketplace/emulator-control/purchases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: tenant, planId, quantity, termUnit: 'P1M' }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { subscriptionId: string; landingUrl: string };
}

/** The landing page, its button, Microsoft's sign-in as `user`, and the callback: the final page. */
async function activate(landingUrl: string, user: string): Promise<{ status: number; text: string }> {
  const landing = await fetch(landingUrl);
  expect(landing.status).toBe(200);
  const page = await landing.text();
  const started = await fetch(`${server.baseUrl}/marketplace/landing`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
    body: new URLSearchParams({ purchase: hiddenField(page, 'purchase'), lang: 'en' }).toString(),
    redirect: 'manual',
  });
  expect(started.status).toBe(303);
  const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const callback = await chooseUserOnEmulatorPicker(started.headers.get('location') ?? '', user);
  const done = await fetch(callback, { headers: { cookie }, redirect: 'manual' });
  return { status: done.status, text: await done.text() };
}

async function subscriptionRow(id: string) {
  const found = await server.database.db.query<{
    state: string;
    plan: string;
    seats_team: number;
    seats_transfer: number;
    period_end: Date;
    marketplace_subscription_id: string | null;
    account_id: string | null;
  }>(
    `select state, plan, seats_team, seats_transfer, period_end, marketplace_subscription_id, account_id
       from subscriptions where tenant_id = $1`,
    [id],
  );
  return found.rows[0];
}

async function notify(action: SaasAction, change: { planId?: string; quantity?: number } = {}) {
  return market().notify(subscriptionId, action, change);
}

async function postWebhook(token: string | null, body: unknown): Promise<Response> {
  return fetch(`${server.baseUrl}/api/marketplace/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** A token as the marketplace gets one from (the emulator's) Entra ID, or with one thing wrong. */
function entraToken(overrides: { audience?: string; clientId?: string; tenantId?: string } = {}) {
  return server.app.emulator.identity.appAccessToken({
    tenantId: overrides.tenantId ?? OPERATOR_TENANT_ID,
    audience: overrides.audience ?? server.config.entra.clientId,
    clientId: overrides.clientId ?? MARKETPLACE_RESOURCE,
  });
}

async function operationsRecorded(): Promise<number> {
  const found = await server.database.db.query<{ n: number }>(
    'select count(*)::int as n from marketplace_operations',
  );
  return found.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  server = await startTestServer();
}, 240_000);

afterAll(async () => {
  await server?.close();
});

describe('buying in the Microsoft marketplace', { timeout: 120_000 }, () => {
  it('resolves the purchase, shows plan and users, and activates it for the tenant that signs in', async () => {
    const bought = await purchase(NORTHWIND_TENANT_ID, 'transfer', 5);
    subscriptionId = bought.subscriptionId;
    const landing = await (await fetch(bought.landingUrl)).text();
    expect(landing).toContain('Transfer');
    expect(landing).toMatch(/data-testid="marketplace-users">5</);
    const german = await (await fetch(`${bought.landingUrl}&lang=de`)).text();
    expect(german).toContain('Mit Microsoft anmelden und aktivieren');

    const done = await activate(bought.landingUrl, NORTHWIND_ADMIN_UPN);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Mailissa Transfer for 5 users');
    const tenant = await server.database.db.query<{ id: string }>(
      'select id from tenants where microsoft_tenant_id = $1',
      [NORTHWIND_TENANT_ID],
    );
    tenantId = tenant.rows[0]?.id ?? '';
    expect(await subscriptionRow(tenantId)).toMatchObject({
      state: 'active',
      plan: 'transfer',
      seats_team: 0,
      seats_transfer: 5,
      marketplace_subscription_id: subscriptionId,
      account_id: null,
    });
    expect(market().store.get(subscriptionId).saasSubscriptionStatus).toBe('Subscribed');

    // Opening the landing page again says so instead of activating twice.
    const again = await (await fetch(bought.landingUrl)).text();
    expect(again).toContain('Already active');
  });

  it('refuses a bad token on the landing page and a buyer of another organisation', async () => {
    const bad = await fetch(
      `${server.baseUrl}/marketplace/landing?token=${encodeURIComponent('not+a/token==')}`,
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('We could not identify this purchase');

    const bought = await purchase(SECOND_TENANT_ID, 'team', 3);
    const done = await activate(bought.landingUrl, NORTHWIND_USER_UPN);
    expect(done.status).toBe(403);
    expect(done.text).toContain('another organisation');
    expect(market().store.get(bought.subscriptionId).saasSubscriptionStatus).toBe('PendingFulfillmentStart');
    const written = await server.database.db.query('select 1 from marketplace_subscriptions where id = $1', [
      bought.subscriptionId,
    ]);
    expect(written.rowCount).toBe(0);
  });

  it('refuses webhook calls without the marketplace’s Entra token and writes nothing', async () => {
    // Started by the marketplace but not delivered: still InProgress there, unknown here.
    const operation = market().store.startOperation(
      subscriptionId,
      'ChangeQuantity',
      { quantity: 6 },
      'Azure',
    );
    const body = { id: operation.id, subscriptionId, action: 'ChangeQuantity' };
    const before = await operationsRecorded();

    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ azp: MARKETPLACE_RESOURCE, tid: OPERATOR_TENANT_ID })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(`${server.config.entra.authorityBase}/${OPERATOR_TENANT_ID}/v2.0`)
      .setAudience(server.config.entra.clientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const refusals = [
      await postWebhook(null, body),
      await postWebhook(forged, body),
      await postWebhook(await entraToken({ audience: 'https://graph.microsoft.com' }), body),
      // Signed by Entra for us, but obtained by some other application than the marketplace.
      await postWebhook(await entraToken({ clientId: server.config.entra.clientId }), body),
      // Issued in another tenant than our publisher tenant.
      await postWebhook(await entraToken({ tenantId: NORTHWIND_TENANT_ID }), body),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'marketplace_token_invalid',
      );
    }
    expect(await operationsRecorded()).toBe(before);
    expect((await subscriptionRow(tenantId))?.state).toBe('active');
  });

  it('answers 400 for a body the operations API does not confirm', async () => {
    const token = await entraToken();
    // An operation the marketplace started but did not deliver (so it is not recorded here yet).
    const operation = market().store.startOperation(
      subscriptionId,
      'ChangeQuantity',
      { quantity: 7 },
      'Azure',
    );
    // A real operation id, but the body claims another action for it.
    const mismatch = await postWebhook(token, { id: operation.id, subscriptionId, action: 'Unsubscribe' });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: { code: string } }).error.code).toBe(
      'marketplace_operation_unconfirmed',
    );
    const unknown = await postWebhook(token, { id: crypto.randomUUID(), subscriptionId, action: 'Suspend' });
    expect(unknown.status).toBe(400);
    const malformed = await postWebhook(token, { id: 'x', action: 'Suspend' });
    expect(malformed.status).toBe(400);
    expect(await subscriptionRow(tenantId)).toMatchObject({ state: 'active', seats_transfer: 5 });
  });

  it('applies change quantity and change plan, and acknowledges them to the marketplace', async () => {
    const quantity = await notify('ChangeQuantity', { quantity: 8 });
    expect(quantity.delivery.status).toBe(200);
    expect(await subscriptionRow(tenantId)).toMatchObject({
      plan: 'transfer',
      seats_transfer: 8,
      seats_team: 0,
    });
    expect(market().store.operation(subscriptionId, quantity.operation.id).status).toBe('Succeeded');
    expect(market().store.get(subscriptionId).quantity).toBe(8);

    const plan = await notify('ChangePlan', { planId: 'suite' });
    expect(plan.delivery.status).toBe(200);
    expect(await subscriptionRow(tenantId)).toMatchObject({
      plan: 'suite',
      seats_transfer: 8,
      seats_team: 8,
    });
    expect(market().store.get(subscriptionId).planId).toBe('suite');
  });

  it('rejects fewer users than licences assigned, so nobody loses access by surprise', async () => {
    const db = server.database.db;
    for (const [index, module] of ['transfer', 'transfer', 'transfer'].entries()) {
      const user = await db.query<{ id: string }>(
        `insert into users (tenant_id, entra_object_id, email, display_name)
         values ($1, gen_random_uuid(), $2, 'Licensed') returning id`,
        [tenantId, `licensed-${index}@northwind.example`],
      );
      await db.query('insert into licence_assignments (tenant_id, user_id, module) values ($1, $2, $3)', [
        tenantId,
        user.rows[0]?.id,
        module,
      ]);
    }
    const { operation, delivery } = await notify('ChangeQuantity', { quantity: 2 });
    expect(delivery.status).toBe(200);
    expect((await subscriptionRow(tenantId))?.seats_transfer).toBe(8);
    expect(market().store.operation(subscriptionId, operation.id).status).toBe('Failed');
    expect(market().store.get(subscriptionId).quantity).toBe(8);
  });

  it('suspends, reinstates and renews', async () => {
    await notify('Suspend');
    expect((await subscriptionRow(tenantId))?.state).toBe('suspended');
    const reinstate = await notify('Reinstate');
    expect((await subscriptionRow(tenantId))?.state).toBe('active');
    expect(market().store.operation(subscriptionId, reinstate.operation.id).status).toBe('Succeeded');
    expect(market().store.get(subscriptionId).saasSubscriptionStatus).toBe('Subscribed');

    const before = (await subscriptionRow(tenantId))?.period_end;
    await notify('Renew');
    const after = (await subscriptionRow(tenantId))?.period_end;
    expect(after?.getTime()).toBeGreaterThan(before?.getTime() ?? Number.POSITIVE_INFINITY);
    const endDate = market().store.get(subscriptionId).term.endDate ?? '';
    expect(after?.toISOString().slice(0, 10)).toBe(
      new Date(Date.parse(endDate) + 86_400_000).toISOString().slice(0, 10),
    );
  });

  it('applies a redelivered operation once, whatever the body then claims', async () => {
    const { operation } = await notify('ChangeQuantity', { quantity: 9 });
    expect((await subscriptionRow(tenantId))?.seats_transfer).toBe(9);
    const recorded = await operationsRecorded();
    const replay = await postWebhook(await entraToken(), {
      ...operation,
      quantity: 50,
      subscription: market().store.get(subscriptionId),
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ outcome: 'duplicate' });
    expect((await subscriptionRow(tenantId))?.seats_transfer).toBe(9);
    expect(await operationsRecorded()).toBe(recorded);
  });

  it('answers again on a redelivery when its acknowledgement was lost', async () => {
    market().faults.inject({ method: 'PATCH', pathPattern: /\/operations\//, status: 500, times: 1 });
    const { operation, delivery } = await notify('ChangeQuantity', { quantity: 10 });
    // Applied and recorded here, but Microsoft did not hear it: the webhook fails, Microsoft retries.
    expect(delivery.status).toBe(503);
    expect(market().store.operation(subscriptionId, operation.id).status).toBe('InProgress');
    expect((await subscriptionRow(tenantId))?.seats_transfer).toBe(10);

    const retry = await postWebhook(await entraToken(), operation);
    expect(await retry.json()).toEqual({ outcome: 'duplicate' });
    expect(market().store.operation(subscriptionId, operation.id).status).toBe('Succeeded');
    expect(market().store.get(subscriptionId).quantity).toBe(10);
    expect((await subscriptionRow(tenantId))?.seats_transfer).toBe(10);
  });

  it('leaves the subscription to Microsoft: the payment provider’s events do not touch it', async () => {
    const applied = await server.database.db.transaction((tx) =>
      applyProviderSubscription(
        tx,
        {
          id: 'sub_test_other',
          customerId: 'cus_test_other',
          status: 'canceled',
          seats: 1,
          unitAmountCents: 400,
          interval: 'month',
          periodStart: new Date(),
          periodEnd: new Date(Date.now() + 86_400_000),
          cancelAtPeriodEnd: false,
          collectionMethod: 'charge_automatically',
          paymentMethodType: 'card',
          metadata: { tenant_id: tenantId, plan: 'team' },
        },
        new Date(),
        14,
      ),
    );
    expect(applied).toBeNull();
    expect(await subscriptionRow(tenantId)).toMatchObject({ state: 'active', plan: 'suite' });
  });

  it('ends with the unsubscription', async () => {
    await notify('Unsubscribe');
    expect((await subscriptionRow(tenantId))?.state).toBe('cancelled');
    const status = await server.database.db.query<{ status: string }>(
      'select status from marketplace_subscriptions where id = $1',
      [subscriptionId],
    );
    expect(status.rows[0]?.status).toBe('Unsubscribed');
  });
});
