import type { Queryable } from '../db/database.js';
import type { ArtefactRemoval } from './remove-microsoft-artefacts.js';

export async function listTenantDeletions(db: Queryable) {
  const rows = await db.query<{
    id: string;
    tenant_id: string;
    tenant_name: string;
    reason: 'customer_request' | 'subscription_ended';
    deleted_at: Date;
    rows_deleted: Record<string, number>;
    rows_held: Record<string, number>;
    microsoft_artefacts: ArtefactRemoval | null;
  }>('select * from tenant_deletion_records order by deleted_at desc limit 200');
  return rows.rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    reason: row.reason,
    deletedAt: new Date(row.deleted_at).toISOString(),
    rowsDeleted: row.rows_deleted,
    rowsHeld: row.rows_held,
    microsoftArtefacts: row.microsoft_artefacts,
  }));
}
