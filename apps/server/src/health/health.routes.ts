import { healthBodySchema, readinessBodySchema } from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'The process is up', response: { 200: healthBodySchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'The database is reachable and every migration is applied',
        response: { 200: readinessBodySchema, 503: readinessBodySchema },
      },
    },
    async (_request, reply) => {
      try {
        const pending = await pendingMigrations(db);
        const ready = pending.length === 0;
        return reply.status(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'not_ready',
          database: 'reachable',
          pendingMigrations: pending,
        });
      } catch {
        return reply
          .status(503)
          .send({ status: 'not_ready', database: 'unreachable', pendingMigrations: [] });
      }
    },
  );
};
