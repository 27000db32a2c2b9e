import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody, ErrorCode } from '@mailissa/contracts';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { isAppError } from '../errors/app-error.js';

export type { ErrorBody };

/**
 * Fastify's own 4xx errors (body too large, wrong content type, malformed JSON, …) carry codes such
 * as FST_ERR_CTP_BODY_TOO_LARGE; the contract's codes are a closed list, so they map by status.
 */
function codeOfFastifyError(status: number): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  return 'bad_request';
}

export function errorBody(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): ErrorBody {
  return { error: { ...extra, code, message } };
}

function describeIssuePath(context: string | undefined, instancePath: string): string {
  const where = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const scope = context ?? 'request';
  return where ? `${scope}.${where}` : scope;
}

/**
 * Every error leaves the server as `{ error: { code, message } }`. Bad input is a 4xx that names what
 * is wrong; only our own faults are 500s, and their details go to the log, never to the client.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      if (error.status >= 500) request.log.error({ err: error, detail: error.detail }, error.message);
      return reply.status(error.status).send(errorBody(error.code, error.message, error.extra));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: describeIssuePath(error.validationContext, issue.instancePath),
        message: issue.message ?? 'is invalid',
      }));
      const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return reply.status(400).send(errorBody('invalid_request', message, { issues }));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.status(500).send(errorBody('internal_error', 'Something went wrong on our side.'));
    }
    if (isDatabaseUnavailable(error)) {
      // Not our fault nor the client's: the database is restarting or failing over. Said at once,
      // so load balancers and clients retry rather than wait (docs/operations.md §7).
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(errorBody('database_unavailable', 'The service is briefly unavailable; please try again.'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody(codeOfFastifyError(status), error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal_error', 'Something went wrong on our side.'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply.status(404).send(errorBody('not_found', `No such resource: ${request.method} ${path}`));
  });
}

/**
 * The router refuses some requests before any route or hook runs: a URL with broken percent-encoding
 * (400) and a path parameter longer than `maxParamLength` (414). Fastify's own answer has another
 * body shape and echoes the whole URL; ours is the one error body and names no input.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'uri_too_long', 'The URL is too long.']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'bad_request', 'The URL is not valid: it has a broken percent-encoding.']
        : [500, 'internal_error', 'Something went wrong on our side.'];
  // No hook runs for these requests, so the headers every response needs are set here.
  void reply
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(JSON.stringify(errorBody(code, message)));
}

/** Node's default maximum size of the request line and header fields together (`--max-http-header-size`). */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (header fields or URL past
 * 16 KiB, malformed HTTP, a client too slow to send its headers) and would write its own bodies.
 * This writes the one error body straight onto the socket and closes it, as Node does.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let status: number;
  let code: ErrorCode;
  let message: string;
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    // The URL counts towards the same limit; a request line that alone fills half of it is a long URL.
    // Typed as its JSON form, but Node hands over the bytes it had read.
    const packet: unknown = error.rawPacket;
    const bytes = Buffer.isBuffer(packet) ? packet : null;
    const lineEnd = bytes ? bytes.indexOf('\r\n') : -1;
    const requestLineBytes = bytes ? (lineEnd < 0 ? bytes.length : lineEnd) : 0;
    if (requestLineBytes >= MAX_HEADER_BYTES / 2) {
      [status, code, message] = [414, 'uri_too_long', 'The URL is too long.'];
    } else {
      [status, code, message] = [431, 'headers_too_large', 'The request header fields are too large.'];
    }
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    [status, code, message] = [408, 'request_timeout', 'The request took too long to arrive.'];
  } else {
    [status, code, message] = [400, 'bad_request', 'The request is not valid HTTP.'];
  }
  if (socket.writable) {
    const body = JSON.stringify(errorBody(code, message));
    socket.write(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Cache-Control: no-store',
        'X-Content-Type-Options: nosniff',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy(error);
}
