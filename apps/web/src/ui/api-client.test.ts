import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, apiFetch, isApiError } from './api-client.js';

/** A real HTTP server answering each path with a fixed status and body. */
const answers: Record<string, { status: number; body: unknown }> = {
  '/api/me/broken': { status: 200, body: { user: { id: 42 } } },
  '/api/health/good': { status: 200, body: { status: 'ok' } },
  '/api/refused': {
    status: 403,
    body: { error: { code: 'no_licence', message: 'No licence.', administrators: [] } },
  },
  '/api/unknown-code': { status: 409, body: { error: { code: 'made_up_code', message: 'Hm.' } } },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = answers[request.url ?? ''] ?? {
      status: 404,
      body: { error: { code: 'not_found', message: 'Nope.' } },
    };
    response
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('apiFetch', () => {
  it('refuses an answer that breaks the contract (in tests and development)', async () => {
    const failure = await apiFetch(`${base}/api/me/broken`, 'meSchema').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(isApiError(failure, 'invalid_response')).toBe(true);
    expect((failure as ApiError).message).toMatch(/does not match meSchema/);
  });

  it('returns an answer that keeps the contract', async () => {
    const health = await apiFetch(`${base}/api/health/good`, 'healthBodySchema').catch(
      (error: unknown) => error,
    );
    expect(health).not.toBeInstanceOf(Error);
  });

  it("turns the server's error body into a typed error with its details", async () => {
    const failure = await apiFetch(`${base}/api/refused`, 'meSchema').catch((error: unknown) => error);
    expect(isApiError(failure, 'no_licence')).toBe(true);
    expect((failure as ApiError).details).toEqual({ administrators: [] });
  });

  it('does not pass off a code outside the contract as one of ours', async () => {
    const failure = await apiFetch(`${base}/api/unknown-code`, 'meSchema').catch((error: unknown) => error);
    expect(isApiError(failure, 'http_409')).toBe(true);
    expect((failure as ApiError).details).toMatchObject({ unknownCode: 'made_up_code' });
  });
});
