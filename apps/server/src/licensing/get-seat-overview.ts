import type { LicensedModule, SeatOverview } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { getSeatUsage } from './get-seat-usage.js';

/** How far back the portal's chart reaches. */
const HISTORY_DAYS = 90;

/**
 * Seat usage now and per day over the last 90 days: the daily snapshots, with today taken live so
 * the chart ends with what the header says. Must run inside withTenant().
 */
export async function getSeatOverview(tx: Queryable, tenantId: string, now: Date): Promise<SeatOverview> {
  const modules = await getSeatUsage(tx, tenantId);
  const today = now.toISOString().slice(0, 10);
  const rows = await tx.query<{ day: string; module: LicensedModule; assigned: number; seats: number }>(
    `select to_char(day, 'YYYY-MM-DD') as day, module, assigned, seats from seat_usage_daily
      where tenant_id = $1 and day > ($2::date - $3::int) and day < $2::date
      order by day, module`,
    [tenantId, today, HISTORY_DAYS],
  );
  return {
    modules,
    history: [
      ...rows.rows,
      ...modules.map((usage) => ({
        day: today,
        module: usage.module,
        assigned: usage.assigned,
        seats: usage.seats,
      })),
    ],
  };
}
