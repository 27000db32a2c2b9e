/**
 * `npm run bench:queue`: the job queue end to end on PostgreSQL (TEST_DATABASE_URL, by default the
 * machine's 127.0.0.1:5432): jobs sent one by one as the product sends them, worked by one process
 * with the transfer queue's concurrency and a handler that does nothing, so what is measured is the
 * queue itself. Figures: jobs per second from the first send to the last completion, and pickup
 * latency (send → handler start). Goals (docs/operations.md): ≥ 300 jobs/s, pickup p50 ≤ 100 ms.
 */

import { startPgBossQueue } from '../src/jobs/pg-boss-queue.js';
import { createTestDatabase } from '../src/test-support/test-database.js';
import { TRANSFER_WORKERS_PER_PROCESS } from '../src/transfer/transfer.jobs.js';
import { reportFigure } from './bench-result.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

async function main(): Promise<void> {
  process.env.TEST_DB = 'postgres';
  const database = await createTestDatabase();
  const queue = await startPgBossQueue(database.db, { pollingIntervalSeconds: 0.5 });
  try {
    await queue.createQueue('bench-noop', { retryLimit: 0 });
    const sentAt = new Map<number, number>();
    const pickups: number[] = [];
    let finished = 0;
    let allDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    for (let worker = 0; worker < TRANSFER_WORKERS_PER_PROCESS; worker++) {
      await queue.work<{ n: number }>('bench-noop', async (job) => {
        pickups.push(performance.now() - (sentAt.get(job.data.n) ?? Number.NaN));
        finished += 1;
        if (finished === JOBS) allDone();
      });
    }
    const started = performance.now();
    for (let n = 0; n < JOBS; n++) {
      sentAt.set(n, performance.now());
      await queue.send('bench-noop', { n });
    }
    const sendSeconds = (performance.now() - started) / 1000;
    await done;
    const seconds = (performance.now() - started) / 1000;
    pickups.sort((a, b) => a - b);
    console.log(`sent ${JOBS} jobs in ${sendSeconds.toFixed(1)} s (${(JOBS / sendSeconds).toFixed(0)}/s)`);
    reportFigure({
      name: 'queue: jobs end to end',
      value: JOBS / seconds,
      unit: 'jobs/s',
      goal: { atLeast: 300 },
    });
    reportFigure({
      name: 'queue: pickup p50',
      value: percentile(pickups, 0.5),
      unit: 'ms',
      goal: { atMost: 100 },
    });
    console.log(
      `queue: ${(JOBS / seconds).toFixed(0)} jobs/s end to end (goal ≥ 300), pickup p50 ${percentile(pickups, 0.5).toFixed(0)} ms (goal ≤ 100), p99 ${percentile(pickups, 0.99).toFixed(0)} ms, ${JOBS} jobs`,
    );
  } finally {
    await queue.stop({ graceful: false });
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
