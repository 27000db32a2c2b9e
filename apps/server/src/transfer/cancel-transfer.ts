import type { Transfer } from '@mailissa/contracts';
import type { Principal } from '../auth/authenticate.js';
import { connectorFor } from '../connectors/connector-registry.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { StoredTransferOptions } from './create-transfer.js';
import { getTransfer } from './get-transfer.js';
import { removeWrittenFiles } from './remove-written-files.js';

/**
 * Stops the user's own queued or running transfer. A queued one ends at once (and files an earlier
 * attempt wrote are deleted here); a running one is flagged, and its worker stops at the next
 * fragment, deletes what it wrote and ends it as `cancelled`.
 */
export async function cancelTransfer(
  deps: { db: Database; graph: GraphClient; fetch: typeof fetch; now: () => Date },
  principal: Principal,
  transferId: string,
): Promise<Transfer> {
  const cancelled = await withTenant(deps.db, principal.tenantId, async (tx) => {
    const found = await tx.query<{
      state: string;
      created_by: string | null;
      connector_type: string;
      settings: unknown;
      options: StoredTransferOptions;
    }>(
      `select t.state, t.created_by, g.connector_type, g.settings, t.options
         from transfers t join targets g on g.id = t.target_id and g.tenant_id = t.tenant_id
        where t.tenant_id = $1 and t.id = $2 for update of t`,
      [principal.tenantId, transferId],
    );
    const row = found.rows[0];
    if (!row) throw new AppError(404, 'transfer_not_found', 'This transfer does not exist.');
    if (row.created_by !== principal.userId) {
      throw new AppError(409, 'transfer_not_cancellable', 'Only who started a transfer can cancel it.');
    }
    if (row.state === 'queued') {
      await tx.query(
        `update transfers set state = 'cancelled', cancel_requested = true, finished_at = $3
          where tenant_id = $1 and id = $2`,
        [principal.tenantId, transferId, deps.now()],
      );
      return row;
    }
    if (row.state === 'running') {
      await tx.query('update transfers set cancel_requested = true where tenant_id = $1 and id = $2', [
        principal.tenantId,
        transferId,
      ]);
      return undefined;
    }
    throw new AppError(409, 'transfer_not_cancellable', `This transfer is ${row.state} already.`);
  });
  if (cancelled) {
    const connector = connectorFor(cancelled.connector_type);
    await removeWrittenFiles(
      deps.db,
      { tenantId: principal.tenantId, transferId },
      connector,
      { graph: deps.graph, fetch: deps.fetch },
      connector.validateSettings(cancelled.settings),
      cancelled.options.subfolder,
    );
  }
  const transfer = await withTenant(deps.db, principal.tenantId, (tx) =>
    getTransfer(tx, principal.tenantId, transferId, principal.userId),
  );
  if (!transfer) throw new AppError(404, 'transfer_not_found', 'This transfer does not exist.');
  return transfer;
}
