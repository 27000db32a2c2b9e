import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config/config.js';
import { installErrorHandling } from '../http/error-handler.js';
import { isFrameablePath } from './frameable-paths.js';
import { MICROSOFT_OFFICE_JS_URL, webAppRoutes, withOfficeJs } from './web-app.routes.js';

const STANDIN_URL = '/emulator/outlook/office.js';

const ADDIN_HTML = `<!doctype html>
<html lang="en">
  <head>
    <title>Mailissa</title>
    <script type="module" crossorigin src="/app/assets/addin-abc123.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

let distDir: string;

async function appWith(demoMode: boolean, dist = distDir): Promise<FastifyInstance> {
  // In demo mode the demo wiring hands the web app the Outlook emulator's Office.js stand-in.
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  const config = {
    demoMode,
    publicBaseUrl: 'https://mail.example.org',
    entra: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
  } as Config;
  await app.register(webAppRoutes, {
    config,
    distDir: dist,
    ...(demoMode ? { officeJsUrl: STANDIN_URL } : {}),
  });
  app.get('/portal/api/users', async () => ({ users: [] }));
  return app;
}

beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), 'mailissa-web-dist-'));
  for (const surface of ['addin', 'portal', 'assets']) {
    await mkdir(path.join(distDir, surface), { recursive: true });
  }
  await writeFile(path.join(distDir, 'addin/index.html'), ADDIN_HTML);
  await writeFile(path.join(distDir, 'addin/auth-redirect.html'), '<!doctype html><title>redirect</title>');
  await writeFile(path.join(distDir, 'portal/index.html'), '<!doctype html><title>portal</title>');
  await writeFile(path.join(distDir, 'assets/addin-abc123.js'), 'console.log(1);');
  // The build writes compressed copies beside each text asset (apps/web/vite.config.ts).
  const bundle = `${'export const text = "Mailissa";\n'.repeat(200)}`;
  await writeFile(path.join(distDir, 'assets/portal-def456.js'), bundle);
  await writeFile(path.join(distDir, 'assets/portal-def456.js.br'), brotliCompressSync(bundle));
});

afterAll(async () => {
  await rm(distDir, { recursive: true, force: true });
});

describe('serving the front ends', () => {
  it('puts Office.js before the module scripts of the add-in page', () => {
    const html = withOfficeJs(ADDIN_HTML, '/office.js');
    expect(html.indexOf('<script src="/office.js"></script>')).toBeGreaterThan(0);
    expect(html.indexOf('<script src="/office.js">')).toBeLessThan(html.indexOf('<script type="module"'));
  });

  it("loads Microsoft's Office.js in production and the emulator's stand-in in demo mode", async () => {
    const production = await appWith(false);
    const demo = await appWith(true);
    const real = await production.inject('/addin/');
    expect(real.statusCode).toBe(200);
    expect(real.headers['content-type']).toContain('text/html');
    expect(real.body).toContain(`<script src="${MICROSOFT_OFFICE_JS_URL}"></script>`);
    expect(real.body).not.toContain(STANDIN_URL);
    const emulated = await demo.inject('/addin/some/deep/path?x=1');
    expect(emulated.body).toContain(`<script src="${STANDIN_URL}"></script>`);
    expect(emulated.body).not.toContain('appsforoffice');
    await production.close();
    await demo.close();
  });

  it('serves each surface for its path and sub-paths, and nothing of the emulators', async () => {
    const production = await appWith(false);
    expect((await production.inject('/portal/users/42')).body).toContain('<title>portal</title>');
    expect((await production.inject('/portal')).headers.location).toBe('/portal/');
    expect((await production.inject('/addin/auth-redirect')).body).toContain('<title>redirect</title>');
    expect((await production.inject('/emulator/outlook/')).statusCode).toBe(404);
    expect((await production.inject(STANDIN_URL)).statusCode).toBe(404);
    await production.close();
  });

  it('leaves the portal API to its own routes and answers unknown API paths with JSON', async () => {
    const app = await appWith(false);
    expect((await app.inject('/portal/api/users')).json()).toEqual({ users: [] });
    const unknown = await app.inject('/portal/api/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    await app.close();
  });

  it('caches hashed assets for ever and pages never', async () => {
    const app = await appWith(false);
    const asset = await app.inject('/app/assets/addin-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['cache-control']).toContain('max-age=31536000');
    expect((await app.inject('/portal/')).headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/app/assets/missing.js')).statusCode).toBe(404);
    await app.close();
  });

  it("sends the build's brotli copy of an asset to a browser that accepts it, the plain file otherwise", async () => {
    const app = await appWith(false);
    const compressed = await app.inject({
      url: '/app/assets/portal-def456.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(compressed.statusCode).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers['content-type']).toContain('javascript');
    expect(compressed.rawPayload.length).toBeLessThan(1000);
    const plain = await app.inject('/app/assets/portal-def456.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotliDecompressSync(compressed.rawPayload).toString()).toBe(plain.body);
    await app.close();
  });

  it('serves the manifest as XML and the icons as PNG without Cache-Control', async () => {
    const app = await appWith(false);
    const manifest = await app.inject('/addin/manifest.xml');
    expect(manifest.headers['content-type']).toContain('application/xml');
    expect(manifest.body).toContain('<OfficeApp');
    expect(manifest.body).toContain('https://mail.example.org/addin/icons/icon-80.png');
    for (const size of [16, 32, 64, 80, 128]) {
      const icon = await app.inject(`/addin/icons/icon-${size}.png`);
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['content-type']).toBe('image/png');
      expect(icon.headers['cache-control']).toBeUndefined();
      expect(icon.rawPayload.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      expect(icon.rawPayload.readUInt32BE(16)).toBe(size);
      expect(icon.rawPayload.readUInt32BE(20)).toBe(size);
    }
    expect((await app.inject('/addin/icons/icon-17.png')).statusCode).toBe(404);
    await app.close();
  });

  it('says clearly when the front ends are not built', async () => {
    const app = await appWith(false, path.join(distDir, 'missing'));
    const response = await app.inject('/portal/');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: 'web_app_not_built' } });
    await app.close();
  });

  it('lists the add-in as the one frameable surface', () => {
    expect(isFrameablePath('/addin/')).toBe(true);
    expect(isFrameablePath('/addin/manifest.xml')).toBe(true);
    expect(isFrameablePath('/portal/')).toBe(false);
    expect(isFrameablePath('/addinx')).toBe(false);
  });
});
