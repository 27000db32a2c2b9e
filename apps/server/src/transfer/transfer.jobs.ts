import { connectorMailer } from '../connectors/email/connector-mailer.js';
import { createDownloadLinks, DOWNLOAD_LINK_PURPOSE } from '../connectors/webhook/download-links.js';
import { createDelegatedAccess, type DelegatedOwner } from '../graph/delegated-access.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { purgeOldTransfers } from './purge-old-transfers.js';
import { giveUpTransfer, runTransfer } from './run-transfer.js';
import type { TransferJobData } from './transfer.schemas.js';
import {
  TRANSFER_GIVEN_UP_QUEUE,
  TRANSFER_JOB_OPTIONS,
  TRANSFER_QUEUE,
  TRANSFER_RETENTION_QUEUE,
} from './transfer-queue.js';

/** Concurrent transfers per process; more processes scale further (docs/architecture.md §9). */
export const TRANSFER_WORKERS_PER_PROCESS = 3;

/**
 * The transfer worker and the nightly retention run. Jobs left by a process that died are failed by
 * the queue and retried; the transfer resumes and skips finished files. When the server closes,
 * attempts in flight are abandoned at once (`signal`), as if the process had died, and finish on the
 * next start.
 */
export function transferJobs({ context, mail, log, signal }: JobDeps): JobDefinition[] {
  const graphFactory = tenantGraphFactory(context.config);
  const delegated = createDelegatedAccess({
    config: context.config,
    db: context.db,
    keyring: context.credentials,
    now: context.now,
  });
  const linkKey = context.credentials.derive(DOWNLOAD_LINK_PURPOSE);
  const deps = {
    db: context.db,
    graphFor: (tenantId: string) => graphFactory(tenantId, { profile: 'worker', signal }),
    userGraphFor: (owner: DelegatedOwner) => delegated.graphFor(owner, { profile: 'worker', signal }),
    fetch: context.connectorFetch,
    credentials: context.credentials,
    downloadLinksFor: (owner: { tenantId: string; transferId: string }) =>
      createDownloadLinks({
        key: linkKey,
        publicBaseUrl: context.config.publicBaseUrl,
        now: context.now,
        ...owner,
      }),
    mailer: connectorMailer(mail, context.config.mail.from),
    now: context.now,
    signal,
    log,
    onFinished: context.metrics.recordTransfer,
  };
  const transfer: JobDefinition<TransferJobData> = {
    queue: TRANSFER_QUEUE,
    options: TRANSFER_JOB_OPTIONS,
    // Several transfers at once per process: each holds at most one upload fragment in memory.
    workers: TRANSFER_WORKERS_PER_PROCESS,
    handler: (job) => runTransfer(deps, job),
  };
  // Created before the transfer queue, which names it as its dead-letter queue.
  const givenUp: JobDefinition<TransferJobData> = {
    queue: TRANSFER_GIVEN_UP_QUEUE,
    options: { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true },
    handler: (job) => giveUpTransfer(deps, job),
  };
  return [
    givenUp,
    transfer,
    {
      queue: TRANSFER_RETENTION_QUEUE,
      options: { retryLimit: 2 },
      cron: '17 3 * * *',
      async handler() {
        await purgeOldTransfers(context.db, context.now());
      },
    },
  ];
}
