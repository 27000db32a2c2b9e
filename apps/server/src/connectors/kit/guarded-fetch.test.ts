import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorNetwork, isPublicAddress } from './guarded-fetch.js';

/** A loopback server that counts requests and answers per path (redirects included). */
function startServer(handle: (path: string) => { status: number; location?: string }) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? '');
    const answer = handle(request.url ?? '/');
    response.writeHead(answer.status, answer.location ? { location: answer.location } : {});
    response.end('hello');
  });
  return new Promise<{ server: Server; origin: string; seen: string[] }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }),
    ),
  );
}

describe('SSRF guard', () => {
  let inner: Awaited<ReturnType<typeof startServer>>;
  let outer: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // `inner` stands for a service on the private network; `outer` for the customer's allowed system.
    inner = await startServer(() => ({ status: 200 }));
    outer = await startServer((path) => {
      if (path === '/to-inner') return { status: 302, location: `${inner.origin}/secret` };
      if (path === '/to-metadata')
        return { status: 307, location: 'http://169.254.169.254/latest/meta-data/' };
      if (path === '/to-self') return { status: 301, location: '/ok' };
      return { status: 200 };
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => inner.server.close(resolve));
    await new Promise((resolve) => outer.server.close(resolve));
  });

  const production = () => createConnectorNetwork({ allowedOrigins: [] });

  it.each([
    'http://127.0.0.1/',
    'http://127.0.0.1:22/',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[fd00:ec2::254]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://10.0.0.8/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://224.0.0.1/',
    'http://localhost/',
  ])('refuses %s before anything is sent', async (url) => {
    await expect(production().checkUrl(url, 'settings.url')).rejects.toMatchObject({
      status: 400,
      code: 'target_address_refused',
      message: expect.stringContaining('settings.url'),
    });
    await expect(production().fetch(url)).rejects.toMatchObject({ code: 'target_address_refused' });
  });

  it('refuses non-HTTP schemes', async () => {
    await expect(production().checkUrl('file:///etc/passwd', 'settings.url')).rejects.toMatchObject({
      code: 'target_address_refused',
    });
  });

  it('classifies only ordinary unicast as public', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    expect(isPublicAddress('169.254.169.254')).toBe(false);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(false);
    expect(isPublicAddress('not an address')).toBe(false);
  });

  it('never reaches a live loopback service in production mode', async () => {
    const before = inner.seen.length;
    await expect(production().fetch(`${inner.origin}/secret`)).rejects.toMatchObject({
      status: 400,
      code: 'target_address_refused',
    });
    expect(inner.seen.length).toBe(before);
  });

  it('reaches an allow-listed origin and follows its redirects on the same origin', async () => {
    const network = createConnectorNetwork({ allowedOrigins: [outer.origin] });
    const response = await network.fetch(`${outer.origin}/to-self`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(outer.seen).toContain('/ok');
  });

  it('checks every redirect: an allowed first hop may not lead to a private address', async () => {
    const network = createConnectorNetwork({ allowedOrigins: [outer.origin] });
    const before = inner.seen.length;
    await expect(network.fetch(`${outer.origin}/to-inner`)).rejects.toMatchObject({
      code: 'target_address_refused',
    });
    await expect(network.fetch(`${outer.origin}/to-metadata`)).rejects.toMatchObject({
      code: 'target_address_refused',
    });
    expect(inner.seen.length).toBe(before);
  });

  it('connects to the address it checked: a name that rebinds to loopback is refused at connect', async () => {
    let lookups = 0;
    const network = createConnectorNetwork({
      allowedOrigins: [],
      // First answer public (the check), then loopback (what a rebinding DNS server would do).
      resolve: async () => {
        lookups += 1;
        return [{ address: lookups === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
      },
    });
    const port = new URL(inner.origin).port;
    const before = inner.seen.length;
    await expect(network.fetch(`http://rebind.example:${port}/secret`)).rejects.toMatchObject({
      status: 400,
      code: 'target_address_refused',
    });
    expect(lookups).toBe(2);
    expect(inner.seen.length).toBe(before);
  });
});
