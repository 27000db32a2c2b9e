import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../fixture.js';
import { startEmulatorServer, type TestEmulatorServer } from '../test-support/start-emulator-server.js';
import { emulatorPlugin } from './emulator.plugin.js';

let server: TestEmulatorServer;

beforeAll(async () => {
  server = await startEmulatorServer();
});
afterAll(async () => server?.close());

describe('emulator plugin', () => {
  it('documents its JSON routes under the emulator tag and hides the HTML pages', async () => {
    const response = await fetch(`${server.baseUrl}/emulator/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/emulator/tenants');
    expect(paths).toContain('/emulator/graph/v1.0/me/messages');
    expect(paths).toContain('/emulator/mail/api/messages');
    expect(document.paths['/emulator/tenants']?.get?.tags).toEqual(['emulator']);
    // The sign-in pages stay out of the document (Graph's `/subscriptions/{id}/reauthorize` is JSON).
    expect(paths.some((p) => p.endsWith('/oauth2/v2.0/authorize'))).toBe(false);
  });

  it('refuses to start in production', async () => {
    const app = Fastify();
    await expect(
      app
        .register(emulatorPlugin, {
          publicBaseUrl: 'http://127.0.0.1:1',
          dataDir: server.dataDir,
          importDir: null,
          nodeEnv: 'production',
          app: DEMO_APP,
        })
        .ready(),
    ).rejects.toThrow(/never run in production/);
    await app.close();
  });
});
