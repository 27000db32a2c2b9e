import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ERROR_CODES } from '@mailissa/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import {
  chooseUserOnEmulatorPicker,
  DEMO_TENANT_ID,
  DEMO_USER_UPN,
  signInWithEmulator,
} from '../demo/emulators.js';
import { AppError } from '../errors/app-error.js';
import { recordWhenWritten, requestsReadTogether } from '../test-support/requests-read-together.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { clockStoppedMidMinute, freePort } from '../test-support/test-server.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let app: FastifyInstance;
let baseUrl: string;
let port: number;
let database: TestDatabase;
let dataDir: string;
const answerEvents: string[] = [];

/**
 * The whole server with two routes of its own, that fail as a page may fail: forbidden, and a bug.
 * A proxy at 127.0.0.1 is trusted, so a test can come from another address (rate limit, block).
 */
beforeAll(async () => {
  port = await freePort();
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-errors-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    TRUST_PROXY: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '5',
  });
  database = await createTestDatabase();
  // The 429 test's last request must fall in the budget window its first ones used up.
  app = await buildApp({ config, db: database.db, now: clockStoppedMidMinute() });
  app.get('/test/forbidden', { schema: { hide: true } }, async () => {
    throw new AppError(403, 'administrators_only', 'Only administrators may do this.');
  });
  app.get('/test/bug', { schema: { hide: true } }, async () => {
    throw new Error('a bug');
  });
  // Records when each answer is handled and when it is handed to the socket (batched writes).
  app.get<{ Params: { n: string } }>(
    '/test/answer/:n',
    {
      schema: { hide: true },
      onRequest: (request, reply, done) => {
        recordWhenWritten(reply.raw, request.params.n, answerEvents);
        done();
      },
    },
    async (request) => {
      answerEvents.push(`handled ${request.params.n}`);
      return { n: request.params.n };
    },
  );
  await app.listen({ port, host: '127.0.0.1' });
  baseUrl = config.publicBaseUrl;
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Writes raw bytes to the server and reads its whole answer: for requests fetch would not send. */
async function rawExchange(request: string): Promise<{ status: number; headers: string; body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server closes at once after answering; what it wrote is what counts.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(received);
      else reject(error);
    });
    socket.on('close', () => resolve(received));
    socket.write(request);
  });
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, headers: head, body };
}

function expectErrorBody(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  expect(ERROR_CODES).toContain(code);
}

describe('one error body for every 4xx/5xx', () => {
  it('answers a URL past the HTTP parser limit with 414 and a header section past it with 431', async () => {
    const longUrl = await rawExchange(
      `GET /api/me?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    );
    expect(longUrl.status).toBe(414);
    expect(longUrl.headers).toMatch(/content-type: application\/json/i);
    expectErrorBody(JSON.parse(longUrl.body), 'uri_too_long');

    const bigHeader = await rawExchange(
      `GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(bigHeader.status).toBe(431);
    expectErrorBody(JSON.parse(bigHeader.body), 'headers_too_large');

    const garbage = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(400);
    expectErrorBody(JSON.parse(garbage.body), 'bad_request');
  });

  it('answers the router refusals (path parameter too long, broken escapes) in the same body, without echoing the URL', async () => {
    const longParam = await fetch(`${baseUrl}/api/transfers/${'c'.repeat(2000)}`);
    expect(longParam.status).toBe(414);
    const longBody = await longParam.json();
    expectErrorBody(longBody, 'uri_too_long');
    expect(JSON.stringify(longBody)).not.toContain('cccc');

    const badEscape = await fetch(`${baseUrl}/api/transfers/%E0%A4%A`);
    expect(badEscape.status).toBe(400);
    expectErrorBody(await badEscape.json(), 'bad_request');
  });

  it('answers bad JSON 400, an oversized body 413, a foreign media type 415 and an unknown API path 404', async () => {
    const post = (body: string, type: string) =>
      fetch(`${baseUrl}/api/transfers`, { method: 'POST', headers: { 'content-type': type }, body });
    const badJson = await post('{"targetId":', 'application/json');
    expect(badJson.status).toBe(400);
    expectErrorBody(await badJson.json(), 'bad_request');

    const tooLarge = await post(JSON.stringify({ filler: 'x'.repeat(2 * 1024 * 1024) }), 'application/json');
    expect(tooLarge.status).toBe(413);
    expectErrorBody(await tooLarge.json(), 'body_too_large');

    const xml = await post('<transfer/>', 'text/xml');
    expect(xml.status).toBe(415);
    expectErrorBody(await xml.json(), 'unsupported_media_type');

    // A browser opening an API URL still gets JSON: the API never answers in pages.
    const unknown = await fetch(`${baseUrl}/api/nothing-here`, { headers: { accept: BROWSER_ACCEPT } });
    expect(unknown.status).toBe(404);
    expectErrorBody(await unknown.json(), 'not_found');
  });
});

describe('error pages for browsers', () => {
  it('shows the website 404 page for an unknown URL, in English and German, and JSON to scripts', async () => {
    const english = await fetch(`${baseUrl}/no-such-page`, {
      headers: { accept: BROWSER_ACCEPT, 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(english.status).toBe(404);
    expect(english.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(english.headers.get('vary')).toMatch(/Accept\b/);
    const page = await english.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Page not found</h1>');
    expect(page).toContain('href="/site/site.css');

    const german = await fetch(`${baseUrl}/no-such-page`, {
      headers: { accept: BROWSER_ACCEPT, 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(await german.text()).toContain('<h1>Seite nicht gefunden</h1>');
    // The site's language choice (?lang=) wins over the browser's.
    const chosen = await fetch(`${baseUrl}/no-such-page?lang=de`, {
      headers: { accept: BROWSER_ACCEPT, 'accept-language': 'en' },
    });
    expect(await chosen.text()).toContain('<html lang="de">');

    const script = await fetch(`${baseUrl}/no-such-page`);
    expect(script.status).toBe(404);
    expectErrorBody(await script.json(), 'not_found');
  });

  it('shows the 403 and 500 pages in the visitor language, and hides the cause of a 500', async () => {
    const forbidden = await fetch(`${baseUrl}/test/forbidden`, {
      headers: { accept: BROWSER_ACCEPT, 'accept-language': 'de' },
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain('<h1>Nicht erlaubt</h1>');

    const bug = await fetch(`${baseUrl}/test/bug`, { headers: { accept: BROWSER_ACCEPT } });
    expect(bug.status).toBe(500);
    const page = await bug.text();
    expect(page).toContain('<h1>Something went wrong</h1>');
    expect(page).not.toContain('a bug');
    const bugJson = await fetch(`${baseUrl}/test/bug`);
    expectErrorBody(await bugJson.json(), 'internal_error');
  });

  it('shows the 429 page to a browser over its rate limit, with Retry-After', async () => {
    const from = { 'x-forwarded-for': '198.51.100.42' };
    let last: Response | undefined;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      last = await fetch(`${baseUrl}/pricing`, {
        headers: { ...from, accept: BROWSER_ACCEPT, 'accept-language': 'de' },
      });
      if (last.status === 429) break;
      await last.text();
    }
    expect(last?.status).toBe(429);
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await last?.text()).toContain('<h1>Zu viele Anfragen</h1>');
    // The same address on the API: the one JSON body.
    const json = await fetch(`${baseUrl}/api/client-config`, { headers: from });
    expect(json.status).toBe(429);
    expectErrorBody(await json.json(), 'rate_limited');
  });
});

describe('Cache-Control: no-store on authenticated responses', () => {
  it('sends no-store on the bearer API, its errors included, and not on public documents or pages', async () => {
    const config = app.appContext.config;
    const tokens = await signInWithEmulator({
      baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: `api://${config.entra.clientId}/access_as_user`,
      clientId: config.entra.clientId,
    });
    const me = await fetch(`${baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const signedOut = await fetch(`${baseUrl}/api/targets`);
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get('cache-control')).toBe('no-store');

    expect((await fetch(`${baseUrl}/api/client-config`)).headers.get('cache-control')).not.toBe('no-store');
    expect((await fetch(`${baseUrl}/`)).headers.get('cache-control')).toBe('private, no-cache');
  });

  it('sends no-store on the session routes and the portal and operator APIs', async () => {
    const login = await fetch(`${baseUrl}/auth/login?app=portal`, { redirect: 'manual' });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const loginCookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
    const callback = await chooseUserOnEmulatorPicker(login.headers.get('location') ?? '', DEMO_USER_UPN);
    const done = await fetch(callback, { headers: { cookie: loginCookies.join('; ') }, redirect: 'manual' });
    expect(done.headers.get('cache-control')).toBe('no-store');
    const session = done.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0] ?? '')
      .filter((pair) => pair.startsWith('mailissa_portal='));
    expect(session).toHaveLength(1);

    const users = await fetch(`${baseUrl}/portal/api/users`, { headers: { cookie: session.join('; ') } });
    expect(users.status).toBe(200);
    expect(users.headers.get('cache-control')).toBe('no-store');
    const state = await fetch(`${baseUrl}/auth/session?app=portal`, {
      headers: { cookie: session.join('; ') },
    });
    expect(state.headers.get('cache-control')).toBe('no-store');
    const operator = await fetch(`${baseUrl}/operator/api/enquiries`);
    expect(operator.status).toBe(401);
    expect(operator.headers.get('cache-control')).toBe('no-store');
  });
});

describe('answers ready together', () => {
  it('leave after every request read with them was handled, each on its own connection (decision 185)', async () => {
    const answers = await requestsReadTogether(app.server, [
      '/test/answer/1',
      '/test/answer/2',
      '/test/answer/3',
    ]);

    // Which of the three the kernel reports first is its business; all are handled before any leaves.
    expect(answerEvents.slice(0, 3).sort()).toEqual(['handled 1', 'handled 2', 'handled 3']);
    expect(answerEvents.slice(3).sort()).toEqual(['written 1', 'written 2', 'written 3']);
    answers.forEach((answer, index) => {
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(answer).toContain(`{"n":"${index + 1}"}`);
    });
  });
});
