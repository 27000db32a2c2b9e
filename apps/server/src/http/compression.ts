import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Text the server builds per request (JSON, HTML pages, XML, the OpenAPI document) leaves brotli- or
 * gzip-compressed, whichever the client prefers; the built front ends' files carry precompressed
 * copies of their own (web-app/web-app.routes.ts). Below 1 KB compression costs more than it saves.
 *
 * Server-sent events are left alone: a compressor buffers, and a live update must reach the client
 * the moment it is written. Request bodies are never decompressed: a small compressed upload could
 * otherwise expand past every body limit.
 */
const COMPRESSIBLE = /^(text\/(?!event-stream)[\w.+-]+|application\/([\w.+-]+\+)?(json|xml|javascript))(;|$)/;

export async function installCompression(app: FastifyInstance): Promise<void> {
  // The demo's emulators stand in for Microsoft and the payment provider: their answers leave as
  // those services send them (a message's $value with its Content-Length, which the transfer reads
  // as the size), not reshaped by the product's own compression.
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/emulator/')) request.headers['accept-encoding'] = 'identity';
  });
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: COMPRESSIBLE,
  });
}
