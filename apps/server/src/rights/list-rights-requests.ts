import type { RightsRequest } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { REQUEST_COLUMNS, type RightsRequestRow } from './rights-requests.rows.js';

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export function toRightsRequest(row: RightsRequestRow, now: Date): RightsRequest {
  const open = row.status === 'open';
  return {
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    status: row.status,
    language: row.language,
    subjectEmail: row.subject_email,
    subjectUserId: row.subject_user_id,
    tenantId: row.tenant_id,
    details: row.details,
    receivedAt: new Date(row.received_at).toISOString(),
    confirmedAt: iso(row.confirmed_at),
    dueAt: iso(row.due_at),
    extendedAt: iso(row.extended_at),
    extensionReason: row.extension_reason,
    identityCheck: row.identity_check,
    completedAt: iso(row.completed_at),
    requestedBy: row.requested_by,
    result: row.result ?? null,
    overdue: open && row.due_at !== null && new Date(row.due_at) < now,
  };
}

/**
 * Requests, open ones first by deadline, then the rest newest first. The operator sees all; inside
 * withTenant an administrator sees only those concerning their tenant (row-level security and the
 * filter both).
 */
export async function listRightsRequests(
  db: Queryable,
  now: Date,
  filter: { tenantId?: string } = {},
): Promise<RightsRequest[]> {
  const params: unknown[] = [];
  let where = '';
  if (filter.tenantId) {
    params.push(filter.tenantId);
    where = 'where tenant_id = $1';
  }
  const rows = await db.query<RightsRequestRow>(
    `select ${REQUEST_COLUMNS} from rights_requests ${where}
      order by (status = 'open') desc, due_at asc nulls last, received_at desc limit 500`,
    params,
  );
  return rows.rows.map((row) => toRightsRequest(row, now));
}
