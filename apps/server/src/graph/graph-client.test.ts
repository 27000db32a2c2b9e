import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { createGraphClient } from './graph-client.js';
import { graphFailureOf } from './graph-errors.js';
import { parseRetryAfterMs, retryDelayMs } from './retry-policy.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

let server: Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => handler(request, response, body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const token = async () => 'test-token';

describe('retry policy', () => {
  it('reads Retry-After in seconds or as a date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('2', now)).toBe(2000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });

  it('waits at least Retry-After, backs off exponentially, and stops at the cap', () => {
    const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(policy, 1, 2000, () => 1)).toBeUndefined(); // asks for more than the cap
    expect(retryDelayMs(policy, 1, 700, () => 0)).toBe(700);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(400);
    expect(retryDelayMs({ ...policy, maxDelayMs: 300 }, 3, undefined, () => 1)).toBe(300);
    expect(retryDelayMs(policy, 4, undefined)).toBeUndefined(); // attempts used up
  });
});

describe('Graph client over HTTP', () => {
  it('follows @odata.nextLink verbatim until the last page', async () => {
    const seen: string[] = [];
    const base = await serve((request, response) => {
      seen.push(request.url ?? '');
      const origin = `http://127.0.0.1:${(server?.address() as AddressInfo | undefined)?.port}`;
      if (request.url === '/v1.0/users') {
        return json(response, 200, {
          value: [{ id: 1 }, { id: 2 }],
          '@odata.nextLink': `${origin}/v1.0/users?$skiptoken=a%3D`,
        });
      }
      if (request.url === '/v1.0/users?$skiptoken=a%3D') {
        return json(response, 200, { value: [], '@odata.nextLink': `${origin}/v1.0/users?$skiptoken=b` });
      }
      return json(response, 200, { value: [{ id: 3 }] });
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token });
    const ids: number[] = [];
    for await (const user of graph.paginate<{ id: number }>('/users')) ids.push(user.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(seen).toEqual(['/v1.0/users', '/v1.0/users?$skiptoken=a%3D', '/v1.0/users?$skiptoken=b']);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const times: number[] = [];
    const base = await serve((_request, response) => {
      times.push(Date.now());
      if (times.length === 1)
        return json(
          response,
          429,
          { error: { code: 'TooManyRequests', message: 'slow down' } },
          { 'retry-after': '1' },
        );
      return json(response, 200, { ok: true });
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token });
    expect(await graph.json({ path: '/me' })).toEqual({ ok: true });
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries 503 and 504 with backoff and gives up after the last attempt with a typed error', async () => {
    let calls = 0;
    const base = await serve((_request, response) => {
      calls += 1;
      json(response, calls % 2 ? 503 : 504, { error: { code: 'serviceNotAvailable', message: 'down' } });
    });
    const graph = createGraphClient({
      baseUrl: base,
      getAccessToken: token,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    const error = await graph.json({ path: '/me' }).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('graph_unavailable');
    expect(graphFailureOf(error)).toEqual({ graphStatus: 503, graphCode: 'serviceNotAvailable' });
  });

  it('does not wait when Retry-After exceeds the cap', async () => {
    let calls = 0;
    const base = await serve((_request, response) => {
      calls += 1;
      json(
        response,
        429,
        { error: { code: 'TooManyRequests', message: 'later' } },
        { 'retry-after': '3600' },
      );
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token, retry: { maxDelayMs: 1000 } });
    await expect(graph.json({ path: '/me' })).rejects.toMatchObject({ code: 'graph_unavailable' });
    expect(calls).toBe(1);
  });

  it('reads the innermost error code and does not retry 4xx', async () => {
    let calls = 0;
    const base = await serve((_request, response) => {
      calls += 1;
      json(response, 409, {
        error: { code: 'conflict', message: 'x', innerError: { code: 'nameAlreadyExists' } },
      });
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token });
    const error = await graph.json({ path: '/drives/d/items/x' }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(graphFailureOf(error)).toEqual({ graphStatus: 409, graphCode: 'conflict/nameAlreadyExists' });
  });

  it('sends no Authorization header on anonymous (upload URL) requests', async () => {
    const headers: (string | undefined)[] = [];
    const base = await serve((request, response) => {
      headers.push(request.headers.authorization);
      json(response, 200, {});
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token });
    await graph.json({ path: '/me' });
    await graph.json({
      path: `${base}/upload/session`,
      method: 'PUT',
      anonymous: true,
      body: new Uint8Array(3),
    });
    expect(headers).toEqual(['Bearer test-token', undefined]);
  });

  it('streams $value with its length', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '11' });
      response.end('hello world');
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token });
    const stream = await graph.stream('/me/messages/a/$value');
    expect(stream.size).toBe(11);
    expect(await new Response(stream.body).text()).toBe('hello world');
  });

  it('batches in groups of 20 and retries throttled sub-requests alone', async () => {
    const batches: number[] = [];
    let throttled = false;
    const base = await serve((_request, response, body) => {
      const { requests } = JSON.parse(body) as { requests: { id: string }[] };
      batches.push(requests.length);
      json(response, 200, {
        responses: requests.map((r) => {
          if (r.id === '7' && !throttled) {
            throttled = true;
            return { id: r.id, status: 429, headers: { 'Retry-After': '0' }, body: {} };
          }
          return { id: r.id, status: 200, body: { n: Number(r.id) } };
        }),
      });
    });
    const graph = createGraphClient({ baseUrl: base, getAccessToken: token, retry: { baseDelayMs: 10 } });
    const requests = Array.from({ length: 45 }, (_, i) => ({
      id: String(i),
      method: 'GET' as const,
      url: `/users/${i}`,
    }));
    const responses = await graph.batch(requests);
    expect(batches).toEqual([20, 20, 5, 1]);
    expect(responses.map((r) => r.status)).toEqual(requests.map(() => 200));
    expect(responses[7]?.body).toEqual({ n: 7 });
  });
});
