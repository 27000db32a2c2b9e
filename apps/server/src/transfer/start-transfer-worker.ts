import type { AppContext } from '../app-context.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import { purgeOldTransfers } from './purge-old-transfers.js';
import { runTransfer } from './run-transfer.js';
import type { TransferJobData } from './transfer.schemas.js';
import { TRANSFER_JOB_OPTIONS, TRANSFER_QUEUE, TRANSFER_RETENTION_QUEUE } from './transfer-queue.js';

/** Concurrent transfers per process; more processes scale further (docs/architecture.md §9). */
export const TRANSFER_WORKERS_PER_PROCESS = 3;

export interface TransferWorkerOptions {
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /**
   * Registers a hook that runs when the server closes (`app.addHook('onClose', …)`): attempts in
   * flight are then abandoned at once, as if the process had died, and finish on the next start.
   */
  onClose?: (hook: () => Promise<void>) => void;
}

/**
 * Starts the transfer worker in this process (call once when the app starts): creates the queues,
 * works the `transfer` queue and schedules the nightly retention run. Jobs left by a process that
 * died are failed by the queue and retried here; the transfer resumes and skips finished files.
 */
export async function startTransferWorker(
  context: AppContext,
  options: TransferWorkerOptions = {},
): Promise<void> {
  const graphFactory = tenantGraphFactory(context.config);
  const stopping = new AbortController();
  options.onClose?.(async () => stopping.abort(new Error('the server is shutting down')));
  await context.jobs.createQueue(TRANSFER_QUEUE, TRANSFER_JOB_OPTIONS);
  const deps = {
    db: context.db,
    graphFor: (tid: string) => graphFactory(tid, { profile: 'worker', signal: stopping.signal }),
    now: context.now,
    signal: stopping.signal,
    ...(options.log ? { log: options.log } : {}),
  };
  // Several transfers at once per process: each holds at most one upload fragment in memory.
  for (let worker = 0; worker < TRANSFER_WORKERS_PER_PROCESS; worker++) {
    await context.jobs.work<TransferJobData>(TRANSFER_QUEUE, (job) => runTransfer(deps, job));
  }
  await context.jobs.createQueue(TRANSFER_RETENTION_QUEUE, { retryLimit: 2 });
  await context.jobs.work(TRANSFER_RETENTION_QUEUE, async () => {
    await purgeOldTransfers(context.db, context.now());
  });
  await context.jobs.schedule(TRANSFER_RETENTION_QUEUE, '17 3 * * *');
}
