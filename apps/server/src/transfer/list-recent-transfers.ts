import type { Transfer } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { TRANSFER_VIEW_SQL, type TransferViewRow, toTransfer } from './transfer.rows.js';

/** The tenant's transfers of the last `days` days, newest first (portal). Must run inside withTenant(). */
export async function listRecentTransfers(
  tx: Queryable,
  tenantId: string,
  since: Date,
  viewerUserId: string,
): Promise<Transfer[]> {
  const result = await tx.query<TransferViewRow>(
    `${TRANSFER_VIEW_SQL} where t.tenant_id = $1 and t.created_at >= $2
      order by t.created_at desc, t.id desc limit 1000`,
    [tenantId, since],
  );
  return result.rows.map((row) => toTransfer(row, viewerUserId));
}
