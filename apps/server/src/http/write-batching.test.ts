import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { recordWhenWritten, requestsReadTogether } from '../test-support/requests-read-together.js';
import { installWriteBatching } from './write-batching.js';

describe('batched writes', () => {
  let app: FastifyInstance;
  afterEach(async () => app.close());

  /** A server whose routes record when each request is handled and its answer handed to the socket. */
  async function listeningApp(events: string[]): Promise<void> {
    app = Fastify();
    installWriteBatching(app);
    app.addHook('onRequest', (request, reply, done) => {
      recordWhenWritten(reply.raw, request.url, events);
      done();
    });
    app.get<{ Params: { n: string } }>('/answer/:n', (request, reply) => {
      events.push(`handled ${request.url}`);
      reply.send({ n: request.params.n });
    });
    app.get('/fails', () => {
      events.push('handled /fails');
      throw new Error('broken');
    });
    app.get('/stream', (_request, reply) => {
      events.push('handled /stream');
      reply.type('text/plain').send(Readable.from(['streamed ', 'text']));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  }

  it('writes the answers of requests read together only after all of them were handled', async () => {
    const events: string[] = [];
    await listeningApp(events);
    const answers = await requestsReadTogether(app.server, ['/answer/1', '/answer/2', '/answer/3']);

    expect(events.slice(0, 3).sort()).toEqual([
      'handled /answer/1',
      'handled /answer/2',
      'handled /answer/3',
    ]);
    expect(events.slice(3).sort()).toEqual(['written /answer/1', 'written /answer/2', 'written /answer/3']);
    answers.forEach((answer, index) => {
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(answer).toContain(`{"n":"${index + 1}"}`);
    });
  });

  it('batches error answers and streams alike, and every one arrives whole', async () => {
    const events: string[] = [];
    await listeningApp(events);
    const [failed, streamed, answered] = await requestsReadTogether(app.server, [
      '/fails',
      '/stream',
      '/answer/4',
    ]);

    expect(events.slice(0, 3).every((event) => event.startsWith('handled'))).toBe(true);
    expect(events.slice(3).sort()).toEqual(['written /answer/4', 'written /fails', 'written /stream']);
    expect(failed).toMatch(/^HTTP\/1\.1 500 Internal Server Error/);
    // Sent chunked: the two parts with the second one's size between them.
    expect(streamed).toMatch(/streamed \r\n4\r\ntext/);
    expect(answered).toContain('{"n":"4"}');
  });

  it('answers a lone request at once, with no timer to wait for', async () => {
    await listeningApp([]);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/answer/5`);
    expect(await response.json()).toEqual({ n: '5' });
  });
});
