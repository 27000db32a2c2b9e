import type { Transfer } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { TRANSFER_VIEW_SQL, type TransferViewRow, toTransfer } from './transfer.rows.js';

/** One transfer of the tenant as the add-in shows it. Must run inside withTenant(). */
export async function getTransfer(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  viewerUserId: string,
): Promise<Transfer | undefined> {
  const result = await tx.query<TransferViewRow>(
    `${TRANSFER_VIEW_SQL} where t.tenant_id = $1 and t.id = $2`,
    [tenantId, transferId],
  );
  const row = result.rows[0];
  return row ? toTransfer(row, viewerUserId) : undefined;
}
