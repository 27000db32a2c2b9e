import { randomUUID } from 'node:crypto';
import type { Connector, ConnectorContext, ConnectorMailer, DownloadLinks } from '../connectors/connector.js';
import { connectorFor } from '../connectors/connector-registry.js';
import {
  forgetConnectorCredential,
  loadConnectorCredential,
} from '../connectors/kit/connector-credentials.js';
import { isTransientTargetFailure } from '../connectors/rest-target/target-http.js';
import type { CredentialKeyring } from '../credentials/credential-keyring.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { DelegatedOwner } from '../graph/delegated-access.js';
import type { GraphClient } from '../graph/graph-client.js';
import { graphFailureOf, isTransientGraphFailure } from '../graph/graph-errors.js';
import type { Job } from '../jobs/job-queue.js';
import { retryNoSoonerThan } from '../jobs/retry-not-sooner.js';
import type { StoredTransferOptions } from './create-transfer.js';
import { DEFAULT_FILE_NAME_TEMPLATE, renderFileName } from './file-name-template.js';
import { getTargetTransferOptions, type TargetTransferOptions } from './get-target-transfer-options.js';
import { loadGraphMailSource } from './graph-mail-source.js';
import { mailMetadata } from './mail-metadata.js';
import { markFiled } from './mark-filed.js';
import { removeWrittenFiles } from './remove-written-files.js';
import type { TransferJobData } from './transfer.schemas.js';
import { ATTEMPT_SUPERSEDED, createTransferProgressStore } from './transfer-progress-store.js';
import { TRANSFER_JOB_OPTIONS } from './transfer-queue.js';

export interface RunTransferDeps {
  db: Database;
  graphFor: (microsoftTenantId: string) => GraphClient;
  /** Graph as the user who asked for the transfer, for connectors that act as the user (decision 075). */
  userGraphFor?: (owner: DelegatedOwner) => GraphClient;
  /** The SSRF-guarded fetch for customer-entered URLs (AppContext.connectorFetch). */
  fetch: typeof fetch;
  /** Opens stored credentials: users' own (`credentialKind: 'user'`) and the tenant's (`'tenant'`). */
  credentials?: CredentialKeyring;
  /** Signed links to the transfer's parts, for connectors that hand out links (the webhook). */
  downloadLinksFor?: (owner: { tenantId: string; transferId: string }) => DownloadLinks;
  /** The product's SMTP, for the e-mail connector. */
  mailer?: ConnectorMailer;
  now: () => Date;
  /** Aborted when the server shuts down: the attempt stops without writing anything more. */
  signal?: AbortSignal;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** A transfer ended for good: its bytes written and the attempt's duration, for the metrics. */
  onFinished?: (outcome: 'succeeded' | 'failed', bytes: number, seconds: number) => void;
}

interface ClaimedTransfer {
  target_id: string;
  /** Null when the user was deleted since: nobody is left to act as. */
  created_by: string | null;
  mailbox_object_id: string;
  message_id: string;
  connector_type: string;
  settings: unknown;
  microsoft_tenant_id: string;
  options: StoredTransferOptions;
}

/**
 * The longest Retry-After a transfer waits for. A system that asks for more is not coming back soon:
 * the transfer fails now with a reason the user can act on, as the Graph client gives up on a wait
 * beyond its cap (graph/retry-policy.ts), instead of sitting queued for hours.
 */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** The Retry-After (ms) a target's throttling carried (rest-target/target-http.ts `targetFailure`). */
function requestedRetryAfterMs(error: unknown): number | undefined {
  const value = error instanceof AppError ? error.extra?.retryAfterMs : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** What the user reads when a transfer failed: our own words, never Graph's or a stack trace. */
export function failureReasonOf(error: unknown): string {
  const failure = graphFailureOf(error);
  if (failure?.graphStatus === 404) return 'The mail or the target folder was not found in Microsoft 365.';
  if (failure?.graphStatus === 403)
    return 'Mailissa was not allowed to read the mail or write to the target.';
  if (failure?.graphStatus === 429 || (failure && failure.graphStatus >= 500))
    return 'Microsoft 365 stayed busy or unavailable; the transfer gave up after several attempts.';
  if ((requestedRetryAfterMs(error) ?? 0) > MAX_RETRY_AFTER_MS)
    return 'The target system asked Mailissa to wait longer than it waits for a transfer. Transfer the mail again later.';
  if (isTransientTargetFailure(error))
    return 'The target system stayed busy or unreachable; the transfer gave up after several attempts.';
  if (error instanceof AppError && error.code === 'target_credentials_rejected')
    return 'The target system rejected your account. Connect it again in the add-in, then transfer the mail again.';
  if (error instanceof AppError && error.status < 500) return error.message.slice(0, 500);
  if (error instanceof AppError && error.code === 'graph_network_error')
    return 'Microsoft 365 could not be reached; the transfer gave up after several attempts.';
  return 'Something went wrong on our side; the transfer was stopped.';
}

/** The user's stored credential when the connector needs one; a clear permanent error when missing. */
async function credentialFor(
  deps: RunTransferDeps,
  tenantId: string,
  claimed: ClaimedTransfer,
  kind: 'none' | 'tenant' | 'user',
): Promise<Record<string, string> | undefined> {
  if (kind === 'none') return undefined;
  const keyring = deps.credentials;
  if (kind === 'tenant') {
    // The tenant's own credential (a webhook's signing secret); the connector says what is missing.
    return keyring
      ? withTenant(deps.db, tenantId, (tx) =>
          loadConnectorCredential(
            tx,
            keyring,
            { tenantId, userId: null, targetId: claimed.target_id },
            deps.now(),
          ),
        )
      : undefined;
  }
  const userId = claimed.created_by;
  const stored =
    keyring && userId
      ? await withTenant(deps.db, tenantId, (tx) =>
          loadConnectorCredential(tx, keyring, { tenantId, userId, targetId: claimed.target_id }, deps.now()),
        )
      : undefined;
  if (!stored) {
    throw new AppError(
      409,
      'target_account_not_connected',
      'Your account for this target is not connected. Connect it in the add-in, then transfer the mail again.',
    );
  }
  return stored;
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
        returning t.target_id, t.created_by, t.mailbox_object_id, t.message_id, g.connector_type, g.settings,
                  n.microsoft_tenant_id, t.options`,
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
    state: 'done' | 'failed' | 'queued' | 'cancelled';
    folderUrl?: string | null;
    reason?: string | null;
    at: Date;
  },
): Promise<void> {
  await withTenant(db, data.tenantId, (tx) =>
    tx.query(
      `update transfers
          set state = $4, folder_url = coalesce($5, folder_url), failure_reason = $6,
              finished_at = case when $4 in ('done', 'failed', 'cancelled') then $7::timestamptz else null end
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

/** "Replace": the files of the earlier transfers of this mail to this target go first. */
async function replaceEarlier(
  deps: RunTransferDeps,
  tenantId: string,
  transferIds: string[],
  connector: Connector<unknown>,
  context: ConnectorContext,
  settings: unknown,
): Promise<void> {
  const earlier = await withTenant(deps.db, tenantId, (tx) =>
    tx.query<{ id: string; options: StoredTransferOptions }>(
      'select id, options from transfers where tenant_id = $1 and id = any($2::uuid[])',
      [tenantId, transferIds],
    ),
  );
  for (const row of earlier.rows) {
    await removeWrittenFiles(
      deps.db,
      { tenantId, transferId: row.id },
      connector,
      context,
      settings,
      row.options.subfolder,
    );
  }
}

/**
 * Sets the target's filed marker on the mail. A mail that is filed but not marked is still filed:
 * trouble here (the mail moved, Microsoft busy) is logged and the transfer stays done.
 */
async function markFiledQuietly(
  deps: RunTransferDeps,
  data: TransferJobData,
  claimed: ClaimedTransfer,
  graph: GraphClient,
  targetOptions: TargetTransferOptions,
): Promise<void> {
  if (!targetOptions.filedCategory) return;
  try {
    await markFiled(
      { db: deps.db, graph, now: deps.now },
      { tenantId: data.tenantId, mailboxObjectId: claimed.mailbox_object_id, messageId: claimed.message_id },
      { displayName: targetOptions.filedCategory, color: targetOptions.filedColor },
    );
  } catch (error) {
    deps.log?.warn(
      {
        transferId: data.transferId,
        code: error instanceof AppError ? error.code : 'unexpected',
        graphStatus: graphFailureOf(error)?.graphStatus,
      },
      'filed marker not set',
    );
  }
}

/** A transfer that failed for good deletes what it wrote; trouble doing so is logged, not raised. */
async function removeAfterFailure(
  deps: RunTransferDeps,
  data: TransferJobData,
  claimed: ClaimedTransfer,
): Promise<void> {
  try {
    const connector = connectorFor(claimed.connector_type);
    const settings = connector.validateSettings(claimed.settings);
    const removed = await removeWrittenFiles(
      deps.db,
      data,
      connector,
      { graph: deps.graphFor(claimed.microsoft_tenant_id), fetch: deps.fetch },
      settings,
      claimed.options.subfolder,
    );
    if (removed > 0) deps.log?.info({ transferId: data.transferId, removed }, 'failed transfer cleaned up');
  } catch (error) {
    deps.log?.warn(
      { transferId: data.transferId, code: error instanceof AppError ? error.code : 'unexpected' },
      'failed transfer could not be cleaned up',
    );
  }
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
    const credential = await credentialFor(deps, job.data.tenantId, claimed, connector.credentialKind);
    const options = claimed.options;
    const targetOptions = await withTenant(deps.db, job.data.tenantId, (tx) =>
      getTargetTransferOptions(tx, job.data.tenantId, claimed.target_id),
    );
    const mail = await loadGraphMailSource(graph, claimed.mailbox_object_id, claimed.message_id, options);
    const positions = new Map(mail.parts.map((part, index) => [part.key, index]));
    const progress = createTransferProgressStore(deps.db, { ...job.data, attemptId }, positions, {
      attachments: mail.sizeHint,
    });
    await progress.checkCancelled();
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
    const context: ConnectorContext = {
      graph,
      fetch: deps.fetch,
      ...(credential ? { credential } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(userGraph ? { userGraph } : {}),
      ...(deps.downloadLinksFor ? { downloadLinks: deps.downloadLinksFor(job.data) } : {}),
      ...(deps.mailer ? { mailer: deps.mailer } : {}),
    };
    if (options.replaces?.length) {
      await replaceEarlier(deps, job.data.tenantId, options.replaces, connector, context, settings);
    }
    // The default template is what every connector's own naming does already (and keeps its care
    // for subjects with dots), so only a template the administrator chose is rendered here.
    const fileName =
      options.fileName ??
      (targetOptions.fileNameTemplate !== DEFAULT_FILE_NAME_TEMPLATE
        ? renderFileName(targetOptions.fileNameTemplate, {
            receivedAt: mail.receivedAt,
            from: mail.sender ?? '',
            fromName: mail.senderName ?? '',
            subject: mail.subject,
            to: mail.recipients.join(', '),
          })
        : undefined);
    const metadata = connector.listColumns ? mailMetadata(targetOptions.columnMapping, mail) : {};
    const result = await connector.transferMail(
      context,
      settings,
      {
        ...mail,
        ...(fileName ? { fileName } : {}),
        ...(options.subfolder ? { subfolder: options.subfolder } : {}),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      },
      progress,
      options.linkTo ? { linkTo: options.linkTo } : undefined,
    );
    await progress.checkCancelled();
    await markFiledQuietly(deps, job.data, claimed, graph, targetOptions);
    await finish(deps.db, job.data, attemptId, { state: 'done', folderUrl: result.url, at: deps.now() });
    deps.log?.info({ transferId: job.data.transferId, files: result.files.length }, 'transfer done');
    deps.onFinished?.(
      'succeeded',
      result.files.reduce((sum, file) => sum + file.size, 0),
      seconds(),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === ATTEMPT_SUPERSEDED) return;
    if (error instanceof AppError && error.code === 'transfer_cancelled') {
      await removeAfterFailure(deps, job.data, claimed);
      await finish(deps.db, job.data, attemptId, { state: 'cancelled', at: deps.now() });
      deps.log?.info({ transferId: job.data.transferId }, 'transfer cancelled');
      return;
    }
    // Shutting down: leave everything as a crash would; the queue retries the job on the next start.
    if (deps.signal?.aborted) throw error;
    if (error instanceof AppError && error.code === 'target_credentials_rejected' && claimed.created_by) {
      // Rejected (expired, revoked, changed): forget it, so the add-in asks the user to connect again.
      const owner = { tenantId: job.data.tenantId, userId: claimed.created_by, targetId: claimed.target_id };
      await withTenant(deps.db, job.data.tenantId, (tx) => forgetConnectorCredential(tx, owner));
    }
    const transient =
      isTransientGraphFailure(error) ||
      isTransientTargetFailure(error) ||
      !(error instanceof AppError) ||
      error.status >= 500;
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
    const retryAfter = requestedRetryAfterMs(error);
    if (transient && attemptsLeft && (retryAfter ?? 0) <= MAX_RETRY_AFTER_MS) {
      await finish(deps.db, job.data, attemptId, { state: 'queued', at: deps.now() });
      // The queue tries again later; when the system said how much later (429 Retry-After), no sooner.
      throw retryAfter === undefined ? error : retryNoSoonerThan(error as object, retryAfter);
    }
    await removeAfterFailure(deps, job.data, claimed);
    await finish(deps.db, job.data, attemptId, {
      state: 'failed',
      reason: failureReasonOf(error),
      at: deps.now(),
    });
    deps.onFinished?.('failed', 0, seconds());
  }
}

/** What the user reads when the queue gave up on a transfer whose attempts kept being cut off. */
export const GIVEN_UP_REASON =
  'The transfer was interrupted several times and was given up. Transfer the mail again.';

/**
 * The queue gave up on a transfer (its dead-letter queue): every attempt was cut off without the
 * transfer recording an end, e.g. its worker died during the last one. A transfer still queued or
 * running is failed as a last failed attempt would fail it, deleting what was written; one that ended
 * is left as it is.
 */
export async function giveUpTransfer(
  deps: RunTransferDeps,
  job: Pick<Job<TransferJobData>, 'data'>,
): Promise<void> {
  // A fresh attempt id: an attempt still running somewhere gives up at its next step.
  const attemptId = randomUUID();
  const claimed = await claim(deps.db, job.data, attemptId, deps.now());
  if (!claimed) return;
  await removeAfterFailure(deps, job.data, claimed);
  await finish(deps.db, job.data, attemptId, { state: 'failed', reason: GIVEN_UP_REASON, at: deps.now() });
  deps.log?.warn({ transferId: job.data.transferId }, 'transfer given up by the queue');
  deps.onFinished?.('failed', 0, 0);
}
