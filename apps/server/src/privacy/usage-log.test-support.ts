import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';

/**
 * Waits until the usage log accounts for at least `rows` requests. A response reaches the client a moment
 * before the server's onResponse hook runs, so tests settle the log instead of flushing once.
 */
export async function settleUsageLog(app: FastifyInstance, db: Database, rows: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await app.usageLog.settle();
    const result = await db.query<{ n: number }>(
      'select coalesce(sum(requests), 0)::int as n from usage_log',
    );
    if ((result.rows[0]?.n ?? 0) >= rows || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
