import type { ErrorBody, ErrorCode } from '@mailissa/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
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

function errorBody(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): ErrorBody {
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
