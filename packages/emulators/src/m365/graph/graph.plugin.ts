import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { EmulatorContext } from '../emulator-context.js';
import { batchRoutes } from './batch.routes.js';
import { directoryRoutes } from './directory.routes.js';
import { driveRoutes } from './drive.routes.js';
import { GraphError, sendGraphError, setGraphHeaders } from './graph-errors.js';
import { authenticateRequest } from './graph-request.js';
import { mailRoutes } from './mail.routes.js';
import { masterCategoryRoutes } from './master-categories.routes.js';
import { messageDeltaRoutes } from './message-delta.routes.js';
import { plannerRoutes } from './planner.routes.js';
import { sharePointRoutes } from './sharepoint.routes.js';
import { subscriptionRoutes } from './subscriptions.routes.js';
import { teamsRoutes } from './teams.routes.js';
import { todoRoutes } from './todo.routes.js';

export const GRAPH_PREFIX = '/emulator/graph/v1.0';

/** Every failure inside the Graph scopes leaves as Graph's error body, never as the product's. */
function installGraphErrorHandling(app: FastifyInstance, context: EmulatorContext): void {
  const authorizationUri = `${context.emulatorBase}/common/oauth2/authorize`;
  app.setErrorHandler((error: FastifyError | GraphError, request, reply) => {
    if (error instanceof GraphError)
      return sendGraphError(request, reply, error, context.now(), authorizationUri);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const detail = error.validation
        .map(
          (issue) =>
            `${error.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}: ${issue.message}`,
        )
        .join('; ');
      return sendGraphError(
        request,
        reply,
        new GraphError(400, 'BadRequest', `Invalid request: ${detail}`),
        context.now(),
        authorizationUri,
      );
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendGraphError(
        request,
        reply,
        new GraphError(status, 'BadRequest', error.message),
        context.now(),
        authorizationUri,
      );
    }
    request.log.error({ err: error }, 'emulator: unexpected error in a Graph route');
    return sendGraphError(
      request,
      reply,
      new GraphError(500, 'generalException', 'An unspecified error occurred in the emulator.'),
      context.now(),
      authorizationUri,
    );
  });
}

/** Injected faults answer before anything else (also before authentication), as a throttling front end would. */
function faultHook(context: EmulatorContext) {
  return async (request: FastifyRequest) => {
    const fault = context.faults.take(request.method, request.url.split('?')[0] ?? '');
    if (!fault) return;
    // The client may still be sending a body; read and discard it so the connection stays usable.
    request.raw.resume();
    throw new GraphError(
      fault.status,
      fault.code,
      fault.message,
      undefined,
      fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) },
    );
  };
}

/** Microsoft Graph v1.0 (subset) under `/emulator/graph/v1.0`, plus SharePoint's pre-authenticated URLs. */
export const graphPlugin: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (app, { context }) => {
  await app.register(
    async (graph) => {
      installGraphErrorHandling(graph, context);
      // An empty body with Content-Type application/json is legal for Graph (e.g. createUploadSession).
      graph.removeContentTypeParser('application/json');
      graph.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: 1024 * 1024 },
        (_request, body, done) => {
          const text = typeof body === 'string' ? body : body.toString('utf8');
          if (text.trim() === '') {
            done(null, undefined);
            return;
          }
          try {
            done(null, JSON.parse(text));
          } catch {
            done(
              new GraphError(
                400,
                'BadRequest',
                'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
              ),
              undefined,
            );
          }
        },
      );
      graph.addHook('onRequest', async (request, reply) => setGraphHeaders(request, reply));
      graph.addHook('onRequest', faultHook(context));
      graph.addHook('onRequest', async (request) => authenticateRequest(context, request));
      graph.setNotFoundHandler((request, reply) => {
        const segment =
          (request.url.split('?')[0] ?? '').slice(GRAPH_PREFIX.length).split('/').filter(Boolean)[0] ?? '';
        return sendGraphError(
          request,
          reply,
          new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
          context.now(),
          `${context.emulatorBase}/common/oauth2/authorize`,
        );
      });
      await graph.register(directoryRoutes, { context });
      await graph.register(mailRoutes, { context });
      await graph.register(masterCategoryRoutes, { context });
      await graph.register(messageDeltaRoutes, { context });
      await graph.register(subscriptionRoutes, { context });
      await graph.register(driveRoutes, { context });
      await graph.register(teamsRoutes, { context });
      await graph.register(plannerRoutes, { context });
      await graph.register(todoRoutes, { context });
      await graph.register(batchRoutes, { context, graphPrefix: GRAPH_PREFIX });
    },
    { prefix: GRAPH_PREFIX },
  );

  await app.register(async (sharePoint) => {
    installGraphErrorHandling(sharePoint, context);
    sharePoint.addHook('onRequest', async (request, reply) => setGraphHeaders(request, reply));
    sharePoint.addHook('onRequest', faultHook(context));
    await sharePoint.register(sharePointRoutes, { context });
  });
};
