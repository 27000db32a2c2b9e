import type { Connector, ConnectorContext, WrittenFile } from '../connectors/connector.js';
import { type Database, withTenant } from '../db/database.js';

/**
 * Deletes from the target what one transfer wrote and forgets the files: a failed or cancelled
 * transfer leaves nothing half-written behind (no orphaned `.eml` without its attachments), and
 * "replace" removes the earlier copy. Returns how many files were deleted.
 */
export async function removeWrittenFiles(
  db: Database,
  ids: { tenantId: string; transferId: string },
  connector: Connector<unknown>,
  context: ConnectorContext,
  settings: unknown,
  subfolder: string | undefined,
): Promise<number> {
  const rows = await withTenant(db, ids.tenantId, (tx) =>
    tx.query<{ part_key: string; name: string; size: string; location: string | null }>(
      `select part_key, name, size, location from transfer_files
        where tenant_id = $1 and transfer_id = $2 and (done or location is not null)`,
      [ids.tenantId, ids.transferId],
    ),
  );
  if (rows.rows.length === 0 || !connector.removeFiles) return 0;
  const files: WrittenFile[] = rows.rows.map((row) => ({
    key: row.part_key,
    name: row.name,
    size: Number(row.size),
    ...(row.location ? { location: row.location } : {}),
  }));
  await connector.removeFiles(context, settings, files, subfolder ? { subfolder } : {});
  await withTenant(db, ids.tenantId, (tx) =>
    tx.query('delete from transfer_files where tenant_id = $1 and transfer_id = $2', [
      ids.tenantId,
      ids.transferId,
    ]),
  );
  return files.length;
}
