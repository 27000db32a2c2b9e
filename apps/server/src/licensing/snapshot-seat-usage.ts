import type { Queryable } from '../db/database.js';

/**
 * Writes today's seat usage of every tenant into `seat_usage_daily` (run daily by the licensing
 * job; running it again the same day overwrites that day). One statement across all tenants, as the
 * job has no tenant of its own: it runs as the owner role, outside withTenant().
 */
export async function snapshotSeatUsageOfAllTenants(db: Queryable, now: Date): Promise<number> {
  const result = await db.query(
    `insert into seat_usage_daily (tenant_id, day, module, assigned, seats)
     select s.tenant_id, ($1::timestamptz at time zone 'UTC')::date, seat.module,
            (select count(*)::int from licence_assignments la
              where la.tenant_id = s.tenant_id and la.module = seat.module),
            seat.seats
       from subscriptions s
       cross join lateral (values ('team', s.seats_team), ('transfer', s.seats_transfer)) as seat (module, seats)
     on conflict (tenant_id, module, day) do update
       set assigned = excluded.assigned, seats = excluded.seats`,
    [now],
  );
  return result.rowCount;
}
