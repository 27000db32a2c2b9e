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
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: COMPRESSIBLE,
  });
}
