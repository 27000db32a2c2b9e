import type { Transfer } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  findMail,
  seedTargets,
  waitForTransfer,
} from '../transfer/transfer-test-helpers.js';

const METRICS_TOKEN = 'prometheus-scrapes-with-this-token-0123456789';

let server: TestServer;

async function scrape(authorization?: string): Promise<Response> {
  return fetch(`${server.baseUrl}/metrics`, authorization ? { headers: { authorization } } : {});
}

/** The value of one sample line, e.g. `mailissa_http_requests_total{…}`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN } });
});
afterAll(async () => server?.close());

describe('Prometheus metrics', () => {
  it('are only for the bearer of METRICS_TOKEN', async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'missing_token' } });
    const wrong = await scrape(`Bearer ${METRICS_TOKEN.replace('0', '1')}`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('count requests by route template, transfer bytes, queue states and Graph throttling, and name no one', async () => {
    const targets = await seedTargets(server);
    const ids = server.app.emulator.ids;
    const anna = await accessTokenFor(server, ids.demoTenantId, ids.demoUserUpn);
    const api = apiClient(server);
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    // Microsoft throttles the first read of the mail once; the worker waits and goes on.
    server.app.emulator.faults.inject({
      method: 'GET',
      pathPattern: /\/messages\/[^/]+$/,
      status: 429,
      retryAfterSeconds: 0,
      times: 1,
    });
    const created = await api<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.contracts,
    });
    const done = await waitForTransfer(server, anna, created.body.transfer.id);
    expect(done.state).toBe('done');
    const writtenBytes = done.files.reduce((sum, file) => sum + file.size, 0);

    const answer = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    const text = await answer.text();

    expect(sample(text, 'mailissa_http_requests_total', { route: '/api/transfers', status: '202' })).toBe(1);
    expect(
      sample(text, 'mailissa_http_requests_total', { route: '/api/transfers/:id', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'mailissa_http_request_duration_seconds_count', { route: '/api/transfers' })).toBe(1);
    expect(sample(text, 'mailissa_transfer_bytes_total', { outcome: 'succeeded' })).toBe(writtenBytes);
    expect(sample(text, 'mailissa_transfer_duration_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'mailissa_graph_throttled_total', { status: '429' })).toBe(1);
    expect(sample(text, 'mailissa_jobs', { queue: 'transfer', state: 'completed' })).toBe(1);
    expect(text).toContain('mailissa_process_resident_memory_bytes');

    // Labels carry templates, never values: no transfer id, message id, address or name.
    expect(text).not.toContain(done.id);
    expect(text).not.toContain(mail.id);
    expect(text).not.toContain(ids.demoUserUpn);
    expect(text).not.toContain('127.0.0.1');
  });
});
