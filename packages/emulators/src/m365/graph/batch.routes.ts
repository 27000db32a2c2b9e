import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { GraphError } from './graph-errors.js';
import { sendGraphJson } from './graph-request.js';

const batchBody = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1).max(100),
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        url: z.string().min(1).max(4000),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1)
    .max(20),
});

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const PASSED_HEADERS = ['content-type', 'retry-after', 'location', 'preference-applied'];

/**
 * JSON batching (docs/microsoft-365.md §4.8): each sub-request runs through the emulator's own Graph routes
 * (authentication, faults and all) with the outer request's token, so a batch behaves exactly like
 * the single calls it bundles.
 */
export const batchRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext; graphPrefix: string }> = async (
  app,
  { graphPrefix },
) => {
  app.post(
    '/$batch',
    {
      schema: {
        tags: ['emulator'],
        security: [{ bearer: [] }],
        summary: 'Graph: JSON batching (up to 20 requests)',
        body: batchBody,
      },
    },
    async (request, reply) => {
      const { requests } = request.body;
      const seen = new Set<string>();
      for (const sub of requests) {
        const key = sub.id.toLowerCase();
        if (seen.has(key))
          throw new GraphError(400, 'BadRequest', `Batch request id '${sub.id}' is used more than once.`);
        seen.add(key);
        if (/^https?:/i.test(sub.url) || sub.url.replace(/^\//, '').startsWith('$batch')) {
          throw new GraphError(
            400,
            'BadRequest',
            `Batch request '${sub.id}' must use a relative URL and cannot be a batch.`,
          );
        }
      }
      const outcomes = new Map<string, number>();
      const responses: BatchResponse[] = [];
      for (const sub of requests) {
        const failedDependency = (sub.dependsOn ?? []).find((id) => {
          const status = outcomes.get(id.toLowerCase());
          return status === undefined || status >= 400;
        });
        if (failedDependency !== undefined) {
          outcomes.set(sub.id.toLowerCase(), 424);
          responses.push({
            id: sub.id,
            status: 424,
            headers: { 'content-type': 'application/json' },
            body: {
              error: {
                code: 'FailedDependency',
                message: `Request '${failedDependency}' failed or did not run.`,
              },
            },
          });
          continue;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(sub.headers ?? {})) headers[name.toLowerCase()] = value;
        if (request.headers.authorization) headers.authorization = request.headers.authorization;
        const isJsonBody = sub.body !== undefined && typeof sub.body !== 'string';
        if (isJsonBody && !headers['content-type']) headers['content-type'] = 'application/json';
        const payload =
          sub.body === undefined
            ? undefined
            : typeof sub.body === 'string' && !(headers['content-type'] ?? '').includes('json')
              ? Buffer.from(sub.body, 'base64')
              : typeof sub.body === 'string'
                ? sub.body
                : JSON.stringify(sub.body);
        const result = await app.inject({
          method: sub.method,
          url: `${graphPrefix}/${sub.url.replace(/^\//, '')}`,
          headers,
          ...(payload === undefined ? {} : { payload }),
        });
        outcomes.set(sub.id.toLowerCase(), result.statusCode);
        const responseHeaders: Record<string, string> = {};
        for (const name of PASSED_HEADERS) {
          const value = result.headers[name];
          if (typeof value === 'string') responseHeaders[name] = value;
        }
        const contentType = responseHeaders['content-type'] ?? '';
        const body =
          result.rawPayload.length === 0
            ? undefined
            : contentType.includes('json')
              ? (JSON.parse(result.payload) as unknown)
              : contentType.startsWith('text/')
                ? result.payload
                : result.rawPayload.toString('base64');
        responses.push({
          id: sub.id,
          status: result.statusCode,
          headers: responseHeaders,
          ...(body === undefined ? {} : { body }),
        });
      }
      return sendGraphJson(reply, { responses });
    },
  );
};
