import { z } from 'zod';

/** `GET /healthz` */
export const healthBodySchema = z.object({ status: z.literal('ok') });

/** `GET /readyz` (200 when ready, 503 otherwise). */
export const readinessBodySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['reachable', 'unreachable']),
  pendingMigrations: z.array(z.string()),
});
export type ReadinessBody = z.infer<typeof readinessBodySchema>;
