import { randomUUID } from 'node:crypto';
import { connectorFor } from '../connectors/connector-registry.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { DelegatedOwner } from '../graph/delegated-access.js';
import type { GraphClient } from '../graph/graph-client.js';
import { graphFailureOf, isTransientGraphFailure } from '../graph/graph-errors.js';
import type { Job } from '../jobs/job-queue.js';
import { loadGraphMailSource } from './graph-mail-source.js';
import type { TransferJobData } from './transfer.schemas.js';
import { ATTEMPT_SUPERSEDED, createTransferProgressStore } from './transfer-progress-store.js';
import { TRANSFER_JOB_OPTIONS } from './transfer-queue.js';

export interface RunTransferDeps {
  db: Database;
  graphFor: (microsoftTenantId: string) => GraphClient;
  /** Graph as the user who asked for the transfer, for connectors that act as the user (decision 075). */
  userGraphFor?: (owner: DelegatedOwner) => GraphClient;
  now: () => Date;
  /** Aborted when the server shuts down: the attempt stops without writing anything more. */
  signal?: AbortSignal;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** A transfer ended for good: its bytes written and the attempt's duration, for the metrics. */
  onFinished?: (outcome: 'succeeded' | 'failed', bytes: number, seconds: number) => void;
}

interface ClaimedTransfer {
  /** Null when the user was deleted since: nobody is left to act as. */
  created_by: string | null;
  mailbox_object_id: string;
  message_id: string;
  connector_type: string;
  settings: unknown;
  microsoft_tenant_id: string;
}

/** What the user reads when a transfer failed: our own words, never Graph's or a stack trace. */
export function failureReasonOf(error: unknown): string {
  const failure = graphFailureOf(error);
  if (failure?.graphStatus === 404) return 'The mail or the target folder was not found in Microsoft 365.';
  if (failure?.graphStatus === 403)
    return 'Mailissa was not allowed to read the mail or write to the target.';
  if (failure?.graphStatus === 429 || (failure && failure.graphStatus >= 500))
    return 'Microsoft 365 stayed busy or unavailable; the transfer gave up after several attempts.';
  if (error instanceof AppError && error.status < 500) return error.message.slice(0, 500);
  if (error instanceof AppError && error.code === 'graph_network_error')
    return 'Microsoft 365 could not be reached; the transfer gave up after several attempts.';
  return 'Something went wrong on our side; the transfer was stopped.';
}

/** Marks the transfer running under a fresh attempt id; undefined when there is nothing to do. */
async function claim(
  db: Database,
  data: TransferJobData,
  attemptId: string,
  now: Date,
): Promise<ClaimedTransfer | undefined> {
  return withTenant(db, data.tenantId, async (tx) => {
    const result = await tx.query<ClaimedTransfer>(
      `update transfers t
          set state = 'running', attempt_id = $3, started_at = coalesce(t.started_at, $4), failure_reason = null
         from targets g, tenants n
        where t.tenant_id = $1 and t.id = $2 and t.state in ('queued', 'running')
          and g.id = t.target_id and g.tenant_id = t.tenant_id and n.id = t.tenant_id
        returning t.created_by, t.mailbox_object_id, t.message_id, g.connector_type, g.settings, n.microsoft_tenant_id`,
      [data.tenantId, data.transferId, attemptId, now],
    );
    return result.rows[0];
  });
}

async function finish(
  db: Database,
  data: TransferJobData,
  attemptId: string,
  change: {
    state: 'done' | 'failed' | 'queued';
    folderUrl?: string | null;
    reason?: string | null;
    at: Date;
  },
): Promise<void> {
  await withTenant(db, data.tenantId, (tx) =>
    tx.query(
      `update transfers
          set state = $4, folder_url = coalesce($5, folder_url), failure_reason = $6,
              finished_at = case when $4 in ('done', 'failed') then $7::timestamptz else null end
        where tenant_id = $1 and id = $2 and attempt_id = $3`,
      [
        data.tenantId,
        data.transferId,
        attemptId,
        change.state,
        change.folderUrl ?? null,
        change.reason ?? null,
        change.at,
      ],
    ),
  );
}

/**
 * The `transfer` job: streams the mail and its attachments from Graph into the target. Transient
 * trouble (throttling, outages, a crash) leads to another attempt that skips what is written; after
 * the last attempt, or on a permanent error, the transfer is `failed` with a reason the user can read.
 */
export async function runTransfer(deps: RunTransferDeps, job: Job<TransferJobData>): Promise<void> {
  const attemptId = randomUUID();
  const startedAt = performance.now();
  const seconds = () => (performance.now() - startedAt) / 1000;
  const claimed = await claim(deps.db, job.data, attemptId, deps.now());
  if (!claimed) return; // done, failed, or deleted: nothing to do
  try {
    const connector = connectorFor(claimed.connector_type);
    const settings = connector.validateSettings(claimed.settings);
    const graph = deps.graphFor(claimed.microsoft_tenant_id);
    const mail = await loadGraphMailSource(graph, claimed.mailbox_object_id, claimed.message_id);
    const positions = new Map(mail.parts.map((part, index) => [part.key, index]));
    const progress = createTransferProgressStore(deps.db, { ...job.data, attemptId }, positions);
    if (connector.actsAsUser && !claimed.created_by) {
      throw new AppError(
        409,
        'delegated_sign_in_required',
        'The user who asked for this transfer no longer exists.',
      );
    }
    const userGraph =
      connector.actsAsUser && deps.userGraphFor && claimed.created_by
        ? deps.userGraphFor({
            tenantId: job.data.tenantId,
            userId: claimed.created_by,
            microsoftTenantId: claimed.microsoft_tenant_id,
          })
        : undefined;
    const result = await connector.transferMail(
      { graph, ...(userGraph ? { userGraph } : {}) },
      settings,
      mail,
      progress,
    );
    await finish(deps.db, job.data, attemptId, { state: 'done', folderUrl: result.url, at: deps.now() });
    deps.log?.info({ transferId: job.data.transferId, files: result.files.length }, 'transfer done');
    deps.onFinished?.(
      'succeeded',
      result.files.reduce((sum, file) => sum + file.size, 0),
      seconds(),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === ATTEMPT_SUPERSEDED) return;
    // Shutting down: leave everything as a crash would; the queue retries the job on the next start.
    if (deps.signal?.aborted) throw error;
    const transient = isTransientGraphFailure(error) || !(error instanceof AppError) || error.status >= 500;
    const attemptsLeft = job.retryCount < TRANSFER_JOB_OPTIONS.retryLimit;
    deps.log?.warn(
      {
        transferId: job.data.transferId,
        code: error instanceof AppError ? error.code : 'unexpected',
        detail: error instanceof AppError ? error.detail : error instanceof Error ? error.message : undefined,
        transient,
        attemptsLeft,
      },
      'transfer attempt failed',
    );
    if (transient && attemptsLeft) {
      await finish(deps.db, job.data, attemptId, { state: 'queued', at: deps.now() });
      throw error; // the queue tries again later
    }
    await finish(deps.db, job.data, attemptId, {
      state: 'failed',
      reason: failureReasonOf(error),
      at: deps.now(),
    });
    deps.onFinished?.('failed', 0, seconds());
  }
}
