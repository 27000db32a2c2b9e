import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

/** The raw request stream, as the pass-through content-type parser of the upload routes left it. */
export function bodyStream(request: FastifyRequest): Readable {
  const body = request.body;
  if (body instanceof Readable) return body;
  if (body === undefined || body === null) return Readable.from([]);
  return request.raw;
}

/**
 * Streams a request body into a file at an offset, counting bytes and stopping at `limit`; memory
 * stays flat whatever the size.
 */
export async function receiveBodyToFile(
  source: Readable,
  file: string,
  options: { start: number; flags: 'w' | 'r+'; limit?: number },
): Promise<number> {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (options.limit !== undefined && received > options.limit) {
        callback(new BodyTooLargeError(options.limit));
        return;
      }
      callback(null, chunk);
    },
  });
  await pipeline(source, counter, createWriteStream(file, { flags: options.flags, start: options.start }));
  return received;
}
