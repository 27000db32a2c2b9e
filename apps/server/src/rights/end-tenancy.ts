import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

const DAY_MS = 86_400_000;

/** The customer asks to end the tenancy: its data is deleted after the stated period (withTenant). */
export async function requestTenancyEnd(
  tx: Queryable,
  tenantId: string,
  userId: string,
  now: Date,
  deletionDays: number,
): Promise<{ requestedAt: Date; deleteAfter: Date }> {
  const deleteAfter = new Date(now.getTime() + deletionDays * DAY_MS);
  const inserted = await tx.query(
    `insert into tenancy_endings (tenant_id, requested_at, requested_by_user_id, delete_after)
     values ($1, $2, $3, $4) on conflict (tenant_id) do nothing`,
    [tenantId, now, userId, deleteAfter],
  );
  if (inserted.rowCount === 0) {
    throw new AppError(
      409,
      'tenancy_already_ending',
      'Your organisation has already asked to end its tenancy.',
    );
  }
  return { requestedAt: now, deleteAfter };
}

export async function withdrawTenancyEnd(tx: Queryable, tenantId: string): Promise<void> {
  const deleted = await tx.query('delete from tenancy_endings where tenant_id = $1', [tenantId]);
  if (deleted.rowCount === 0)
    throw new AppError(409, 'tenancy_not_ending', 'Your organisation is not ending its tenancy.');
}

export async function findTenancyEnding(
  tx: Queryable,
  tenantId: string,
): Promise<{ requestedAt: string; deleteAfter: string } | null> {
  const row = await tx.query<{ requested_at: Date; delete_after: Date }>(
    'select requested_at, delete_after from tenancy_endings where tenant_id = $1',
    [tenantId],
  );
  const found = row.rows[0];
  return found
    ? {
        requestedAt: new Date(found.requested_at).toISOString(),
        deleteAfter: new Date(found.delete_after).toISOString(),
      }
    : null;
}
