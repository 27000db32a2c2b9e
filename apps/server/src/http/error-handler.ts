import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from '../errors/app-error.js';

export interface ErrorBody {
  error: { code: string; message: string; [key: string]: unknown };
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
      const body: ErrorBody = { error: { ...error.extra, code: error.code, message: error.message } };
      return reply.status(error.status).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: describeIssuePath(error.validationContext, issue.instancePath),
        message: issue.message ?? 'is invalid',
      }));
      const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return reply.status(400).send({ error: { code: 'invalid_request', message, issues } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply
        .status(500)
        .send({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 429
          ? 'rate_limited'
          : (error.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `No such resource: ${request.method} ${path}` } });
  });
}
