import type { Transfer } from '@mailissa/contracts';
import type { Principal } from '../auth/authenticate.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { requireTransferLicence } from '../targets/require-transfer-licence.js';
import { getTransfer } from './get-transfer.js';
import type { TransferJobData } from './transfer.schemas.js';
import { TRANSFER_JOB_OPTIONS, TRANSFER_QUEUE } from './transfer-queue.js';

/** Queues the user's own failed or cancelled transfer again, with the same choices, as a fresh job. */
export async function retryTransfer(
  deps: { db: Database; jobs: JobQueue },
  principal: Principal,
  transferId: string,
): Promise<Transfer> {
  // Read back in the same transaction: once it commits, a worker may take the job at once, and the
  // answer is to say what the retry did (queued), not how far a worker got since.
  const transfer = await withTenant(deps.db, principal.tenantId, async (tx) => {
    await requireTransferLicence(tx, principal.tenantId, principal.userId);
    const found = await tx.query<{
      state: string;
      created_by: string | null;
      enabled: boolean;
      deleted: boolean;
    }>(
      `select t.state, t.created_by, g.enabled, g.deleted_at is not null as deleted
         from transfers t join targets g on g.id = t.target_id and g.tenant_id = t.tenant_id
        where t.tenant_id = $1 and t.id = $2 for update of t`,
      [principal.tenantId, transferId],
    );
    const row = found.rows[0];
    if (!row) throw new AppError(404, 'transfer_not_found', 'This transfer does not exist.');
    if (row.created_by !== principal.userId) {
      throw new AppError(409, 'transfer_not_retryable', 'Only who started a transfer can retry it.');
    }
    if (row.state !== 'failed' && row.state !== 'cancelled') {
      throw new AppError(
        409,
        'transfer_not_retryable',
        `This transfer is ${row.state}; only failed or cancelled ones are retried.`,
      );
    }
    if (row.deleted || !row.enabled)
      throw new AppError(409, 'target_disabled', 'This target is switched off.');
    await tx.query(
      `update transfers set state = 'queued', failure_reason = null, cancel_requested = false, attempt_id = null,
              bytes_done = 0, finished_at = null
        where tenant_id = $1 and id = $2`,
      [principal.tenantId, transferId],
    );
    const data: TransferJobData = { tenantId: principal.tenantId, transferId };
    await deps.jobs.send(TRANSFER_QUEUE, data, {
      ...TRANSFER_JOB_OPTIONS,
      singletonKey: transferId,
      transaction: tx,
    });
    return getTransfer(tx, principal.tenantId, transferId, principal.userId);
  });
  if (!transfer) throw new AppError(404, 'transfer_not_found', 'This transfer does not exist.');
  return transfer;
}
