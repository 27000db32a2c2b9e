import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContentEncoding, compress, installCompression, sendPrecompressedJson } from './compression.js';

const LONG_JSON = { items: Array.from({ length: 200 }, (_, index) => ({ index, name: `target ${index}` })) };

describe('compressing responses', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    await installCompression(app);
    app.get('/json', async () => LONG_JSON);
    app.get('/page', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(`<!doctype html>${'<p>Mailissa</p>'.repeat(300)}`),
    );
    app.get('/tiny', async () => ({ ok: true }));
    app.get('/events', async (_request, reply) =>
      reply.type('text/event-stream').send(`data: ${'x'.repeat(4000)}\n\n`),
    );
    app.get('/file', async (_request, reply) => reply.type('application/pdf').send(Buffer.alloc(8000, 1)));
    app.get('/emulator/graph/v1.0/value', async (_request, reply) =>
      reply.type('text/plain').send('Received: from mail.example\r\n'.repeat(200)),
    );
    app.post('/echo', async (request) => ({ received: request.headers['content-encoding'] ?? null }));
  });
  afterAll(async () => app.close());

  it('sends JSON brotli-compressed to a client that prefers brotli, and gzip to one that only knows gzip', async () => {
    const brotli = await app.inject({ url: '/json', headers: { 'accept-encoding': 'gzip, br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(brotli.rawPayload).toString())).toEqual(LONG_JSON);
    const gzip = await app.inject({ url: '/json', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(LONG_JSON);
    expect(gzip.rawPayload.length).toBeLessThan(JSON.stringify(LONG_JSON).length / 3);
  });

  it('compresses HTML pages and leaves a client without Accept-Encoding the plain body', async () => {
    const page = await app.inject({ url: '/page', headers: { 'accept-encoding': 'br' } });
    expect(page.headers['content-encoding']).toBe('br');
    const plain = await app.inject('/page');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('<p>Mailissa</p>');
  });

  it('leaves small answers, binary files and server-sent events uncompressed', async () => {
    const headers = { 'accept-encoding': 'br, gzip' };
    expect((await app.inject({ url: '/tiny', headers })).headers['content-encoding']).toBeUndefined();
    expect((await app.inject({ url: '/file', headers })).headers['content-encoding']).toBeUndefined();
    const events = await app.inject({ url: '/events', headers });
    expect(events.headers['content-encoding']).toBeUndefined();
    expect(events.body.startsWith('data: ')).toBe(true);
  });

  it("leaves the emulators' answers as the services they stand in for send them", async () => {
    const value = await app.inject({
      url: '/emulator/graph/v1.0/value',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(value.headers['content-encoding']).toBeUndefined();
    expect(value.headers['content-length']).toBe(String(value.rawPayload.length));
  });

  it('never inflates a compressed request body', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: '{}',
    });
    // Without request decompression the body is parsed as sent; no decompressor runs on it.
    expect(answer.statusCode).toBe(200);
  });
});

describe('sending an answer the route keeps compressed', () => {
  const answerJson = JSON.stringify(LONG_JSON);
  let app: FastifyInstance;
  /** An answer as the bootstrap keeps one: each encoding made on first use, then reused. */
  const cachedAnswer = () => {
    const cached = new Map<ContentEncoding, Buffer>();
    const compressions: ContentEncoding[] = [];
    return {
      compressions,
      json: answerJson,
      encoded(encoding: ContentEncoding) {
        let buffer = cached.get(encoding);
        if (!buffer) {
          compressions.push(encoding);
          buffer = compress(answerJson, encoding);
          cached.set(encoding, buffer);
        }
        return buffer;
      },
    };
  };
  const answer = cachedAnswer();
  const repeated = cachedAnswer();

  beforeAll(async () => {
    app = Fastify();
    await installCompression(app);
    app.get('/answer', async (request, reply) => sendPrecompressedJson(request, reply, answer));
    app.get('/repeated', async (request, reply) => sendPrecompressedJson(request, reply, repeated));
  });
  afterAll(async () => app.close());

  it('sends brotli to a browser, gzip to a gzip-only client, the plain JSON to one that accepts neither', async () => {
    const browser = await app.inject({ url: '/answer', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(browser.headers['content-encoding']).toBe('br');
    expect(browser.headers.vary).toContain('accept-encoding');
    expect(browser.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(brotliDecompressSync(browser.rawPayload).toString())).toEqual(LONG_JSON);
    const gzip = await app.inject({ url: '/answer', headers: { 'accept-encoding': 'gzip;q=1, br;q=0.5' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(LONG_JSON);
    for (const headers of [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ]) {
      const plain = await app.inject({ url: '/answer', headers });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.json()).toEqual(LONG_JSON);
    }
  });

  it('compresses the answer once per encoding, however often it is asked for', async () => {
    for (let round = 0; round < 5; round++) {
      const brotli = await app.inject({ url: '/repeated', headers: { 'accept-encoding': 'br' } });
      expect(JSON.parse(brotliDecompressSync(brotli.rawPayload).toString())).toEqual(LONG_JSON);
      await app.inject({ url: '/repeated', headers: { 'accept-encoding': 'gzip' } });
    }
    expect(repeated.compressions).toEqual(['br', 'gzip']);
  });

  it('chooses by each Accept-Encoding, also for a value seen before and past the values it remembers', async () => {
    const encodingFor = async (acceptEncoding: string) =>
      (await app.inject({ url: '/answer', headers: { 'accept-encoding': acceptEncoding } })).headers[
        'content-encoding'
      ] ?? 'none';
    // More distinct values than the choices kept, so the last ones are negotiated every time.
    for (let index = 1; index <= 100; index++) {
      const weight = (index / 1000).toFixed(3);
      expect(await encodingFor(`gzip;q=1, br;q=${weight}`)).toBe('gzip');
      expect(await encodingFor(`br;q=1, gzip;q=${weight}`)).toBe('br');
      expect(await encodingFor(`br;q=0, gzip;q=0, identity;q=${weight}`)).toBe('none');
    }
    expect(await encodingFor('gzip;q=1, br;q=0.001')).toBe('gzip');
    expect(await encodingFor('br;q=1, gzip;q=0.100')).toBe('br');
  });
});
