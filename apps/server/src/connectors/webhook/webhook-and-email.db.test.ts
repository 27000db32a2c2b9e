import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transfer } from '@mailissa/contracts';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/database.js';
import { createTestClock, startTestServer, type TestServer } from '../../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  demoGraph,
  demoTenantId,
  findMail,
  type MailRef,
  waitForTransfer,
} from '../../transfer/transfer-test-helpers.js';
import { createWebSession } from '../../web-session/web-session.store.js';
import type { WebhookPayload } from './webhook.schemas.js';

/**
 * Both connectors through the whole product: an administrator creates the target in the portal, a
 * user transfers a mail from the Microsoft 365 emulator through the add-in API, and the job worker
 * delivers it — to a webhook receiver started here (which verifies the signature with the Standard
 * Webhooks library and downloads the files by the links), or to the demo mail catcher over SMTP.
 */

interface Call {
  headers: IncomingHttpHeaders;
  body: string;
}
let receiver: Server;
let receiverUrl: string;
const calls: Call[] = [];

let server: TestServer;
const clock = createTestClock();
let anna: string;
let admin: string;
let tenantId: string;
let api: ReturnType<typeof apiClient>;
const OFFER = 'Offer 2026-117 for Northwind with price list';

async function portal<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      cookie: admin,
      origin: server.baseUrl,
      'x-requested-with': 'mailissa',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** The bytes Microsoft 365 holds: what every copy must equal. */
async function graphBytes(path: string): Promise<Buffer> {
  const stream = await demoGraph(server).stream(path);
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function transferTo(targetId: string, mail: MailRef): Promise<Transfer> {
  const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
    messageId: mail.id,
    internetMessageId: mail.internetMessageId,
    targetId,
  });
  expect(created.status).toBe(202);
  return waitForTransfer(server, anna, created.body.transfer.id);
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  server = await startTestServer({
    env: { CONNECTOR_ALLOWED_ORIGINS: new URL(receiverUrl).origin },
    now: clock.now,
  });
  api = apiClient(server);
  const ids = server.app.emulator.ids;
  anna = await accessTokenFor(server, ids.demoTenantId, ids.demoUserUpn);
  tenantId = await demoTenantId(server);
  const user = await withTenant(server.database.db, tenantId, (tx) =>
    tx.query<{ id: string }>('select id from users where tenant_id = $1 and entra_object_id = $2', [
      tenantId,
      ids.demoUserOid,
    ]),
  );
  const session = await createWebSession(
    server.database.db,
    { app: 'portal', tenantId, userId: user.rows[0]?.id ?? '', displayName: 'Anna Berger' },
    new Date(),
  );
  admin = `mailissa_portal=${session.token}`;
});
afterAll(async () => {
  await server?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('webhook target', () => {
  let targetId: string;
  let secret: string;

  it('refuses bad settings naming the field, and shows the signing secret once at creation', async () => {
    const bad = await portal<{ error: { code: string; message: string } }>('POST', '/portal/api/targets', {
      connectorType: 'webhook',
      title: { en: 'Intake', de: 'Eingang' },
      categoryId: null,
      settings: { url: 'http://hooks.example.com/in' },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_settings', message: 'settings.url: must be an https:// address' } },
    });
    const created = await portal<{ target: { id: string; settings: object }; signingSecret?: string }>(
      'POST',
      '/portal/api/targets',
      {
        connectorType: 'webhook',
        title: { en: 'Intake hook', de: 'Eingangs-Hook' },
        categoryId: null,
        settings: { url: receiverUrl, linkMinutes: '10' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.signingSecret).toMatch(/^whsec_/);
    expect(created.body.target.settings).toEqual({ url: receiverUrl, linkMinutes: 10 });
    targetId = created.body.target.id;
    secret = created.body.signingSecret ?? '';
    // Never again: not in the list, not in the audit log.
    const listed = await portal<object>('GET', '/portal/api/targets');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const audit = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query<{ entries: string | null; actions: string[] }>(
        `select string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' ') as entries,
                array_agg(action order by action) as actions
           from audit_events where tenant_id = $1 and subject_id = $2`,
        [tenantId, targetId],
      ),
    );
    expect(audit.rows[0]?.actions).toEqual(['target.created', 'target.secret_issued']);
    expect(audit.rows[0]?.entries ?? '').not.toContain(secret.slice(6));
  });

  it('delivers a signed call whose links download the mail and attachments byte-identical', async () => {
    const mail = await findMail(server, OFFER);
    const done = await transferTo(targetId, mail);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');
    expect(calls).toHaveLength(1);
    const [call] = calls as [Call];
    const headers = Object.fromEntries(
      Object.entries(call.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const payload = new Webhook(secret).verify(call.body, headers) as WebhookPayload;
    expect(payload.type).toBe('mail.transferred');
    expect(payload.data.mail).toMatchObject({ subject: OFFER, internetMessageId: mail.internetMessageId });
    const files = payload.data.files as { kind: string; name: string; url: string }[];
    expect(files.map((file) => file.name)).toEqual([
      '2026-11-06 1505 Offer 2026-117 for Northwind with price list.eml',
      'Offer-2026-117.pdf',
      'price-list.csv',
      'call-notes.txt',
    ]);
    const owner = server.app.emulator.ids.demoUserOid;
    const base = `/users/${owner}/messages/${encodeURIComponent(mail.id)}`;
    const attachments: { id: string; name: string }[] = [];
    for await (const item of demoGraph(server).paginate<{ id: string; name: string }>(
      `${base}/attachments`,
    )) {
      attachments.push(item);
    }
    for (const file of files) {
      // The receiver needs nothing but the link: no cookie, no token.
      const response = await fetch(file.url);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      const expected =
        file.kind === 'message'
          ? await graphBytes(`${base}/$value`)
          : await graphBytes(
              `${base}/attachments/${encodeURIComponent(attachments.find((a) => a.name === file.name)?.id ?? '')}/$value`,
            );
      expect(bytes.equals(expected)).toBe(true);
      expect(response.headers.get('content-disposition')).toContain('attachment;');
    }
    expect(files[0]?.url.startsWith(`${server.baseUrl}/api/transfer-downloads/`)).toBe(true);

    // A changed link, and the real one after its ten minutes: 404 download_link_invalid, no bytes.
    const link = files[1]?.url ?? '';
    const tampered = await fetch(`${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    expect(tampered.status).toBe(404);
    expect(await tampered.json()).toMatchObject({ error: { code: 'download_link_invalid' } });
    clock.advance(11 * 60_000);
    const expired = await fetch(link);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({
      error: { code: 'download_link_invalid', message: expect.stringMatching(/expired/) },
    });
  });

  it('renews the secret: the next call is signed with the new one only', async () => {
    const renewed = await portal<{ signingSecret: string }>(
      'POST',
      `/portal/api/targets/${targetId}/signing-secret`,
    );
    expect(renewed.status).toBe(200);
    expect(renewed.body.signingSecret).not.toBe(secret);
    // Replaced, not added: one sealed tenant credential (no user) per webhook target.
    const stored = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query<{ n: number }>(
        'select count(*)::int as n from credentials where tenant_id = $1 and target_id = $2 and user_id is null',
        [tenantId, targetId],
      ),
    );
    expect(stored.rows[0]?.n).toBe(1);
    const test = await portal<{ ok: boolean }>('POST', '/portal/api/connectors/email/test', {
      settings: { to: 'x' },
    });
    expect(test).toMatchObject({ status: 400, body: { error: { code: 'invalid_settings' } } });
    await transferTo(targetId, await findMail(server, OFFER));
    const call = calls.at(-1) as Call;
    const headers = Object.fromEntries(
      Object.entries(call.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    expect(() => new Webhook(secret).verify(call.body, headers)).toThrow();
    expect(new Webhook(renewed.body.signingSecret).verify(call.body, headers)).toMatchObject({
      type: 'mail.transferred',
    });
  });

  it('lists the signing secret under "Manage passwords" as the tenant\'s, without its value, not revocable there', async () => {
    const listed = await fetch(`${server.baseUrl}/portal/api/credentials`, { headers: { cookie: admin } });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain('whsec_');
    const body = JSON.parse(text) as {
      credentials: unknown[];
      targetSecrets: { target: { id: string; title: { en: string } }; lastUsedAt: string | null }[];
    };
    expect(body.credentials).toEqual([]);
    expect(body.targetSecrets).toEqual([
      expect.objectContaining({
        target: { id: targetId, title: { en: 'Intake hook', de: 'Eingangs-Hook' } },
        // The renewed secret signed the last call.
        lastUsedAt: expect.any(String),
      }),
    ]);
    // Revoking it would leave the webhook unable to sign: renewed at the target instead.
    const stored = await withTenant(server.database.db, tenantId, (tx) =>
      tx.query<{ id: string }>(
        'select id from credentials where tenant_id = $1 and target_id = $2 and user_id is null',
        [tenantId, targetId],
      ),
    );
    const revoke = await portal<{ error: { code: string } }>(
      'DELETE',
      `/portal/api/credentials/${stored.rows[0]?.id}`,
    );
    expect(revoke).toMatchObject({ status: 404, body: { error: { code: 'credential_not_found' } } });
  });
});

describe('e-mail target', () => {
  it('forwards the mail to the configured address with the original attached, byte for byte', async () => {
    const bad = await portal<{ error: { message: string } }>('POST', '/portal/api/targets', {
      connectorType: 'email',
      title: { en: 'Tickets', de: 'Tickets' },
      categoryId: null,
      settings: { to: 'not-an-address' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^settings\.to: /);
    const created = await portal<{ target: { id: string }; signingSecret?: string }>(
      'POST',
      '/portal/api/targets',
      {
        connectorType: 'email',
        title: { en: 'Tickets', de: 'Tickets' },
        categoryId: null,
        settings: { to: 'intake@tickets.example', subjectPrefix: '[Ticket]' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.signingSecret).toBeUndefined();
    const mail = await findMail(server, OFFER);
    const done = await transferTo(created.body.target.id, mail);
    expect(done.failureReason).toBeNull();
    expect(done.state).toBe('done');

    const list = (await (await fetch(`${server.baseUrl}/emulator/mail/api/messages`)).json()) as {
      messages: { id: string; subject: string }[];
    };
    const forwarded = list.messages.find((message) => message.subject === `[Ticket] ${OFFER}`);
    if (!forwarded) throw new Error('the forwarded mail did not arrive');
    const raw = Buffer.from(
      await (await fetch(`${server.baseUrl}/emulator/mail/${forwarded.id}/source`)).arrayBuffer(),
    );
    const text = raw.toString('latin1');
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(text)?.[1] ?? '';
    const part = text
      .split(`\r\n--${boundary}`)
      .find((candidate) => /^content-type:\s*message\/rfc822/im.test(candidate.split('\r\n\r\n')[0] ?? ''));
    if (!part) throw new Error('no message/rfc822 part');
    const attached = Buffer.from(part.slice(part.indexOf('\r\n\r\n') + 4), 'latin1');
    const original = await graphBytes(
      `/users/${server.app.emulator.ids.demoUserOid}/messages/${encodeURIComponent(mail.id)}/$value`,
    );
    expect(attached.equals(original)).toBe(true);
  });
});
