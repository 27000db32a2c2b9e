import type { LicensedModule, SeatUsage } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';

/** Seats per module from the subscription and how many are assigned. Must run inside withTenant(). */
export async function getSeatUsage(tx: Queryable, tenantId: string): Promise<SeatUsage[]> {
  const result = await tx.query<{ module: LicensedModule; seats: number; assigned: number }>(
    `select seat.module, seat.seats,
            (select count(*)::int from licence_assignments la
              where la.tenant_id = s.tenant_id and la.module = seat.module) as assigned
       from subscriptions s
       cross join lateral (values ('team', s.seats_team), ('transfer', s.seats_transfer)) as seat (module, seats)
      where s.tenant_id = $1
      order by seat.module`,
    [tenantId],
  );
  return result.rows.map((row) => ({ module: row.module, seats: row.seats, assigned: row.assigned }));
}

export function usageOf(usage: SeatUsage[], module: LicensedModule): SeatUsage {
  return usage.find((entry) => entry.module === module) ?? { module, seats: 0, assigned: 0 };
}
