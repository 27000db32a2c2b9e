import type { AuditEventEntry, AuditPage, AuditQuery } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_name: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  subject_label: string | null;
  before: unknown;
  after: unknown;
  total: number;
}

/** The filter part shared by the page and the CSV export: `$1` is the tenant. */
function filterOf(tenantId: string, filter: Omit<AuditQuery, 'page' | 'pageSize'>) {
  const params: unknown[] = [tenantId];
  const where = ['tenant_id = $1'];
  if (filter.actorUserId) {
    params.push(filter.actorUserId);
    where.push(`actor_user_id = $${params.length}`);
  }
  if (filter.action) {
    params.push(filter.action);
    // An area (`licence`) matches all its actions; a full action only itself.
    where.push(
      filter.action.includes('.')
        ? `action = $${params.length}`
        : `split_part(action, '.', 1) = $${params.length}`,
    );
  }
  if (filter.from) {
    params.push(filter.from);
    where.push(`occurred_at >= $${params.length}`);
  }
  if (filter.to) {
    params.push(filter.to);
    where.push(`occurred_at < $${params.length}`);
  }
  return { params, where: where.join(' and ') };
}

function toEntry(row: AuditRow): AuditEventEntry {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    actor: { userId: row.actor_user_id, name: row.actor_name },
    action: row.action,
    subject: { type: row.subject_type, id: row.subject_id, label: row.subject_label },
    before: row.before ?? null,
    after: row.after ?? null,
  };
}

/** One page of the tenant's audit log, newest first, with who appears in it. Inside withTenant(). */
export async function listAuditEvents(
  tx: Queryable,
  tenantId: string,
  query: AuditQuery,
): Promise<AuditPage> {
  const { params, where } = filterOf(tenantId, query);
  const result = await tx.query<AuditRow>(
    `select *, count(*) over ()::int as total from audit_events where ${where}
      order by occurred_at desc, id desc
      limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, query.pageSize, (query.page - 1) * query.pageSize],
  );
  const actors = await tx.query<{ user_id: string; name: string }>(
    `select distinct on (actor_user_id) actor_user_id as user_id, actor_name as name from audit_events
      where tenant_id = $1 and actor_user_id is not null
      order by actor_user_id, occurred_at desc`,
    [tenantId],
  );
  let total = result.rows[0]?.total;
  if (total === undefined) {
    const counted = await tx.query<{ total: number }>(
      `select count(*)::int as total from audit_events where ${where}`,
      params,
    );
    total = counted.rows[0]?.total ?? 0;
  }
  return {
    events: result.rows.map(toEntry),
    total,
    page: query.page,
    pageSize: query.pageSize,
    actors: actors.rows
      .map((row) => ({ userId: row.user_id, name: row.name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The most rows one CSV export holds; a narrower time range gets the rest. */
export const AUDIT_EXPORT_LIMIT = 100_000;

/** Every entry the filter matches (up to the export limit), newest first, for the CSV export. */
export async function listAuditEventsForExport(
  tx: Queryable,
  tenantId: string,
  filter: Omit<AuditQuery, 'page' | 'pageSize'>,
): Promise<AuditEventEntry[]> {
  const { params, where } = filterOf(tenantId, filter);
  const result = await tx.query<AuditRow>(
    `select * from audit_events where ${where} order by occurred_at desc, id desc limit ${AUDIT_EXPORT_LIMIT}`,
    params,
  );
  return result.rows.map(toEntry);
}
