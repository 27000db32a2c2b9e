import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';

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

const ENCODINGS = ['br', 'gzip'] as const;
export type ContentEncoding = (typeof ENCODINGS)[number];

/** Brotli at quality 5: within a few per cent of the best size for JSON, at a fraction of quality 11's time. */
const BROTLI_QUALITY = 5;

export function compress(text: string, encoding: ContentEncoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } })
    : gzipSync(text);
}

/** negotiator 1.1 takes the server's order for ties; its published types do not know that option yet. */
type NegotiatorWithPreference = Negotiator & {
  encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined;
};

/**
 * The choice for each Accept-Encoding seen, so that it is parsed once, not on every request: browsers
 * send a handful of distinct values. Bounded, so a client that sends a new value per request cannot
 * grow it; past the bound a value is negotiated every time, as before.
 */
const chosenEncodings = new Map<string, ContentEncoding | null>();
const CHOSEN_ENCODINGS_KEPT = 64;

/**
 * The encoding the client accepts among those the server makes, brotli first where the client rates
 * both alike (as the compression hook chooses), or null for none (identity).
 */
export function preferredEncoding(request: FastifyRequest): ContentEncoding | null {
  const accepted = request.headers['accept-encoding'];
  if (!accepted) return null;
  const known = chosenEncodings.get(accepted);
  if (known !== undefined) return known;
  const negotiator = new Negotiator({ headers: { 'accept-encoding': accepted } }) as NegotiatorWithPreference;
  const best = negotiator.encoding(ENCODINGS, { preferred: ENCODINGS });
  const chosen = best === 'br' || best === 'gzip' ? best : null;
  if (chosenEncodings.size < CHOSEN_ENCODINGS_KEPT) chosenEncodings.set(accepted, chosen);
  return chosen;
}

/**
 * Sends a JSON text the route keeps compressed (`encoded` is asked once per encoding and is expected
 * to cache): the compression hook leaves a reply that already has a Content-Encoding alone.
 */
export function sendPrecompressedJson(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: { json: string; encoded(encoding: ContentEncoding): Buffer },
): FastifyReply {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  const encoding = preferredEncoding(request);
  if (encoding === null) return reply.serializer((payload: unknown) => payload as string).send(answer.json);
  return reply.header('content-encoding', encoding).send(answer.encoded(encoding));
}

export async function installCompression(app: FastifyInstance): Promise<void> {
  // The demo's emulators stand in for Microsoft and the payment provider: their answers leave as
  // those services send them (a message's $value with its Content-Length, which the transfer reads
  // as the size), not reshaped by the product's own compression.
  // Callback hooks here and in the other per-request hooks without I/O: an async one costs a promise
  // and a turn of the microtask queue on every request.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/emulator/')) request.headers['accept-encoding'] = 'identity';
    done();
  });
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: COMPRESSIBLE,
  });
}
