import type { Transfer } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { TRANSFER_VIEW_SQL, type TransferViewRow, toTransfer } from './transfer.rows.js';

/**
 * Earlier transfers of the same mail (by internetMessageId, which survives moves and is the same in
 * every recipient's mailbox) by anyone in the tenant, newest first. Must run inside withTenant().
 */
export async function listTransfersOfMessage(
  tx: Queryable,
  tenantId: string,
  internetMessageId: string,
  viewerUserId: string,
): Promise<Transfer[]> {
  const result = await tx.query<TransferViewRow>(
    `${TRANSFER_VIEW_SQL} where t.tenant_id = $1 and t.internet_message_id = $2
      order by t.created_at desc, t.id desc limit 100`,
    [tenantId, internetMessageId],
  );
  return result.rows.map((row) => toTransfer(row, viewerUserId));
}
