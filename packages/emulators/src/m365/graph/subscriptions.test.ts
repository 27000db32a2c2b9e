import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import { clientCredentialsWithEmulator, signInWithEmulator } from '../emulator-sign-in.js';
import { DEMO_SECOND_USER_UPN, DEMO_SHARED_MAILBOX_UPN, DEMO_USER_UPN } from '../seed/directory-seed.js';
import { DEMO_TENANT_ID } from '../seed/tenant-ids.js';

/** A client's notification endpoint: answers the handshake the way `mode` says, records the rest. */
interface Receiver {
  url: string;
  mode: 'echo' | 'wrong' | 'fail';
  received: Array<{ path: string; body: { value: Array<Record<string, unknown>> } }>;
  validations: string[];
}

let server: TestEmulatorServer;
let receiverServer: Server;
const receiver: Receiver = { url: '', mode: 'echo', received: [], validations: [] };
let graph: string;
let appToken: string;
let annaToken: string;
let jonasToken: string;
let clockOffsetMs = 0;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  void (async () => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readBody(request);
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      receiver.validations.push(token);
      if (receiver.mode === 'fail') response.writeHead(500).end();
      else
        response
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(receiver.mode === 'echo' ? token : 'something else');
      return;
    }
    receiver.received.push({ path: url.pathname, body: JSON.parse(body) });
    response.writeHead(receiver.mode === 'fail' ? 500 : 202).end();
  })();
}

const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const inMinutes = (minutes: number) => new Date(Date.now() + clockOffsetMs + minutes * 60_000).toISOString();

async function subscribe(token: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${graph}/subscriptions`, {
    method: 'POST',
    headers: auth(token),
    body: JSON.stringify(body),
  });
}

async function firstMessage(token: string, user: string): Promise<{ id: string; categories: string[] }> {
  const response = await fetch(`${graph}/users/${user}/messages?$top=1&$select=id,categories`, {
    headers: auth(token),
  });
  const body = (await response.json()) as { value: Array<{ id: string; categories: string[] }> };
  const first = body.value[0];
  if (!first) throw new Error('no message');
  return first;
}

beforeAll(async () => {
  receiverServer = createServer(handle);
  await new Promise<void>((resolve) => receiverServer.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}`;
  server = await startEmulatorServer({ overrides: { now: () => new Date(Date.now() + clockOffsetMs) } });
  graph = `${server.baseUrl}/emulator/graph/v1.0`;
  const clientId = server.config.entra.clientId;
  appToken = (
    await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret: server.config.entra.clientSecret,
    })
  ).accessToken;
  const signIn = (user: string, scope: string) =>
    signInWithEmulator({ baseUrl: server.baseUrl, tenantId: DEMO_TENANT_ID, user, scope, clientId });
  annaToken = (await signIn(DEMO_USER_UPN, 'Mail.ReadWrite Mail.ReadWrite.Shared')).accessToken;
  jonasToken = (await signIn(DEMO_SECOND_USER_UPN, 'Mail.ReadWrite Mail.ReadWrite.Shared')).accessToken;
});
afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => receiverServer?.close(() => resolve()));
});
beforeEach(() => {
  receiver.mode = 'echo';
  receiver.received.length = 0;
  receiver.validations.length = 0;
});

describe('change notification subscriptions', () => {
  it('validates the endpoint, then POSTs category changes with the clientState', async () => {
    const created = await subscribe(appToken, {
      changeType: 'updated',
      notificationUrl: `${receiver.url}/notify`,
      resource: `/users/${DEMO_SECOND_USER_UPN}/messages`,
      expirationDateTime: inMinutes(60),
      clientState: 'secret-state-1',
    });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as { id: string; clientState: string; changeType: string };
    expect(subscription.changeType).toBe('updated');
    expect(receiver.validations).toHaveLength(1);
    expect(receiver.validations[0]).toMatch(/^Validation: /);

    const message = await firstMessage(appToken, DEMO_SECOND_USER_UPN);
    const patched = await fetch(`${graph}/users/${DEMO_SECOND_USER_UPN}/messages/${message.id}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ categories: ['Urgent'] }),
    });
    expect(patched.status).toBe(200);
    await server.app.emulator.subscriptions.settle();
    expect(receiver.received).toHaveLength(1);
    const notification = receiver.received[0]?.body.value[0];
    expect(notification).toMatchObject({
      subscriptionId: subscription.id,
      changeType: 'updated',
      clientState: 'secret-state-1',
      tenantId: DEMO_TENANT_ID,
      resourceData: { id: message.id, '@odata.type': '#Microsoft.Graph.Message' },
    });
    expect(String(notification?.resource)).toContain(`/Messages/${message.id}`);

    // Another mailbox's change does not reach this subscription.
    const annas = await firstMessage(appToken, DEMO_USER_UPN);
    await fetch(`${graph}/users/${DEMO_USER_UPN}/messages/${annas.id}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ isRead: true }),
    });
    await server.app.emulator.subscriptions.settle();
    expect(receiver.received).toHaveLength(1);

    const deleted = await fetch(`${graph}/subscriptions/${subscription.id}`, {
      method: 'DELETE',
      headers: auth(appToken),
    });
    expect(deleted.status).toBe(204);
    await fetch(`${graph}/users/${DEMO_SECOND_USER_UPN}/messages/${message.id}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ categories: [] }),
    });
    await server.app.emulator.subscriptions.settle();
    expect(receiver.received).toHaveLength(1);
  });

  it('refuses the subscription when the endpoint does not echo the token', async () => {
    for (const mode of ['wrong', 'fail'] as const) {
      receiver.mode = mode;
      const response = await subscribe(appToken, {
        changeType: 'updated',
        notificationUrl: `${receiver.url}/notify`,
        resource: `/users/${DEMO_USER_UPN}/messages`,
        expirationDateTime: inMinutes(60),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('ValidationError');
    }
    expect(server.app.emulator.subscriptions.list()).toHaveLength(0);
  });

  it('renews by PATCH within the limit, and forgets a subscription once it expires', async () => {
    const created = await subscribe(appToken, {
      changeType: 'created,updated',
      notificationUrl: `${receiver.url}/notify`,
      resource: `users/${DEMO_USER_UPN}/mailFolders('inbox')/messages`,
      expirationDateTime: inMinutes(10),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const tooFar = await fetch(`${graph}/subscriptions/${id}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ expirationDateTime: inMinutes(10_081) }),
    });
    expect(tooFar.status).toBe(400);
    const renewed = await fetch(`${graph}/subscriptions/${id}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ expirationDateTime: inMinutes(30) }),
    });
    expect(renewed.status).toBe(200);
    const body = (await renewed.json()) as { expirationDateTime: string };
    expect(new Date(body.expirationDateTime).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);

    clockOffsetMs += 31 * 60_000;
    try {
      const gone = await fetch(`${graph}/subscriptions/${id}`, { headers: auth(appToken) });
      expect(gone.status).toBe(404);
    } finally {
      clockOffsetMs -= 31 * 60_000;
    }
  });

  it('sends lifecycle notifications to the lifecycle URL, and `missed` when a delivery fails', async () => {
    const created = await subscribe(appToken, {
      changeType: 'updated',
      notificationUrl: `${receiver.url}/notify`,
      lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
      resource: `/users/${DEMO_USER_UPN}/messages`,
      expirationDateTime: inMinutes(60),
      clientState: 'secret-state-2',
    });
    const { id } = (await created.json()) as { id: string };
    expect(receiver.validations).toHaveLength(2);
    expect(server.app.emulator.subscriptions.lifecycle(id, 'reauthorizationRequired')).toBe(true);
    await server.app.emulator.subscriptions.settle();
    expect(receiver.received.at(-1)).toMatchObject({
      path: '/lifecycle',
      body: {
        value: [
          { lifecycleEvent: 'reauthorizationRequired', subscriptionId: id, clientState: 'secret-state-2' },
        ],
      },
    });
    const reauthorized = await fetch(`${graph}/subscriptions/${id}/reauthorize`, {
      method: 'POST',
      headers: auth(appToken),
    });
    expect(reauthorized.status).toBe(204);

    receiver.mode = 'fail';
    const message = await firstMessage(appToken, DEMO_USER_UPN);
    await fetch(`${graph}/users/${DEMO_USER_UPN}/messages/${message.id}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ categories: ['Blue category'] }),
    });
    await server.app.emulator.subscriptions.settle();
    expect(receiver.received.map((r) => [r.path, r.body.value[0]?.lifecycleEvent])).toContainEqual([
      '/lifecycle',
      'missed',
    ]);

    receiver.mode = 'echo';
    expect(server.app.emulator.subscriptions.lifecycle(id, 'subscriptionRemoved')).toBe(true);
    await server.app.emulator.subscriptions.settle();
    expect(receiver.received.at(-1)?.body.value[0]?.lifecycleEvent).toBe('subscriptionRemoved');
    const gone = await fetch(`${graph}/subscriptions/${id}`, { headers: auth(appToken) });
    expect(gone.status).toBe(404);
  });

  it('takes only message collections, valid change types and a future expiry', async () => {
    const base = {
      changeType: 'updated',
      notificationUrl: `${receiver.url}/notify`,
      resource: `/users/${DEMO_USER_UPN}/messages`,
      expirationDateTime: inMinutes(60),
    };
    for (const bad of [
      { resource: '/users' },
      { changeType: 'renamed' },
      { expirationDateTime: inMinutes(-1) },
      { notificationUrl: 'not a url' },
    ]) {
      const response = await subscribe(appToken, { ...base, ...bad });
      expect(response.status, JSON.stringify(bad)).toBe(400);
    }
    expect(receiver.validations).toHaveLength(0);
  });
});

describe('delta query on messages', () => {
  it('pages through a first full round, then returns only what changed', async () => {
    const first: string[] = [];
    let url: string | undefined =
      `${graph}/users/${DEMO_SECOND_USER_UPN}/mailFolders/inbox/messages/delta?$select=id,categories`;
    let deltaLink: string | undefined;
    let pages = 0;
    while (url) {
      const response = await fetch(url, { headers: { ...auth(appToken), prefer: 'odata.maxpagesize=3' } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        value: Array<{ id: string; categories: string[]; subject?: string }>;
        '@odata.nextLink'?: string;
        '@odata.deltaLink'?: string;
      };
      expect(body.value.length).toBeLessThanOrEqual(3);
      for (const m of body.value) {
        expect(m.subject).toBeUndefined();
        first.push(m.id);
      }
      pages += 1;
      url = body['@odata.nextLink'];
      deltaLink = body['@odata.deltaLink'];
    }
    const all = await fetch(`${graph}/users/${DEMO_SECOND_USER_UPN}/messages?$top=100&$count=true`, {
      headers: auth(appToken),
    });
    const count = ((await all.json()) as { '@odata.count': number })['@odata.count'];
    expect(new Set(first).size).toBe(count);
    expect(pages).toBeGreaterThan(1);
    expect(deltaLink).toContain('$deltatoken=');

    const quiet = await fetch(String(deltaLink), { headers: auth(appToken) });
    const quietBody = (await quiet.json()) as { value: unknown[]; '@odata.deltaLink': string };
    expect(quietBody.value).toEqual([]);

    const target = first[1] as string;
    await fetch(`${graph}/users/${DEMO_SECOND_USER_UPN}/messages/${target}`, {
      method: 'PATCH',
      headers: auth(appToken),
      body: JSON.stringify({ categories: ['Orange category'] }),
    });
    const next = await fetch(quietBody['@odata.deltaLink'], { headers: auth(appToken) });
    const nextBody = (await next.json()) as { value: Array<{ id: string; categories: string[] }> };
    expect(nextBody.value.map((m) => [m.id, m.categories])).toEqual([[target, ['Orange category']]]);

    const foreign = String(deltaLink).replace(
      encodeURIComponent(DEMO_SECOND_USER_UPN),
      encodeURIComponent(DEMO_USER_UPN),
    );
    expect(foreign).not.toBe(deltaLink);
    expect((await fetch(foreign, { headers: auth(appToken) })).status).toBe(400);
  });
});

describe('shared mailboxes', () => {
  it("lets a member read and change the shared mailbox's mail with their own token, not others", async () => {
    const asAnna = await fetch(`${graph}/users/${DEMO_SHARED_MAILBOX_UPN}/messages?$top=2`, {
      headers: auth(annaToken),
    });
    expect(asAnna.status).toBe(200);
    const message = ((await asAnna.json()) as { value: Array<{ id: string }> }).value[0];
    const patched = await fetch(`${graph}/users/${DEMO_SHARED_MAILBOX_UPN}/messages/${message?.id}`, {
      method: 'PATCH',
      headers: auth(annaToken),
      body: JSON.stringify({ categories: ['Green category'] }),
    });
    expect(patched.status).toBe(200);

    const asJonas = await fetch(`${graph}/users/${DEMO_SHARED_MAILBOX_UPN}/messages?$top=2`, {
      headers: auth(jonasToken),
    });
    expect(asJonas.status).toBe(403);
    expect(((await asJonas.json()) as { error: { code: string } }).error.code).toBe('ErrorAccessDenied');
  });

  it('needs the .Shared scope, and keeps other personal mailboxes closed to members', async () => {
    const plain = (
      await signInWithEmulator({
        baseUrl: server.baseUrl,
        tenantId: DEMO_TENANT_ID,
        user: DEMO_USER_UPN,
        scope: 'Mail.ReadWrite',
        clientId: server.config.entra.clientId,
      })
    ).accessToken;
    const response = await fetch(`${graph}/users/${DEMO_SHARED_MAILBOX_UPN}/messages`, {
      headers: auth(plain),
    });
    expect(response.status).toBe(403);
    const personal = await fetch(`${graph}/users/${DEMO_SECOND_USER_UPN}/messages`, {
      headers: auth(annaToken),
    });
    expect(personal.status).toBe(403);
  });

  it('tells the Outlook page which shared mailboxes its user may open', async () => {
    const list = async (token: string) =>
      (
        (await (
          await fetch(`${server.baseUrl}/emulator/outlook/api/shared-mailboxes`, { headers: auth(token) })
        ).json()) as { value: Array<{ address: string; displayName: string }> }
      ).value;
    expect(await list(annaToken)).toEqual([
      expect.objectContaining({ address: DEMO_SHARED_MAILBOX_UPN, displayName: 'Contoso Support' }),
    ]);
    expect(await list(jonasToken)).toEqual([]);
    const anonymous = await fetch(`${server.baseUrl}/emulator/outlook/api/shared-mailboxes`);
    expect(anonymous.status).toBe(401);
  });

  it('lists the shared mailbox as a disabled user', async () => {
    const response = await fetch(
      `${graph}/users/${DEMO_SHARED_MAILBOX_UPN}?$select=id,displayName,accountEnabled`,
      { headers: auth(appToken) },
    );
    expect(await response.json()).toMatchObject({ displayName: 'Contoso Support', accountEnabled: false });
  });
});
