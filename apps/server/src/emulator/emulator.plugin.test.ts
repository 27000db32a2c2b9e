import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { emulatorPlugin } from './emulator.plugin.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('emulator plugin', () => {
  it('documents its JSON routes under the emulator tag and hides the HTML pages', async () => {
    const response = await fetch(`${server.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/emulator/tenants');
    expect(paths).toContain('/emulator/graph/v1.0/me/messages');
    expect(document.paths['/emulator/tenants']?.get?.tags).toEqual(['emulator']);
    expect(paths.some((p) => p.includes('authorize'))).toBe(false);
  });

  it('refuses to start in production', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), nodeEnv: 'production' as const };
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    await expect(app.register(emulatorPlugin, { config }).ready()).rejects.toThrow(/never run in production/);
    await app.close();
  });
});
