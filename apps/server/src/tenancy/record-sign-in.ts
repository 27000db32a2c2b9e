import type { Queryable } from '../db/database.js';
import type { UserRow } from './tenancy.rows.js';

export interface SignInIdentity {
  objectId: string;
  email: string;
  displayName: string;
}

/**
 * Every API call of the add-in passes through here, so "last seen" is written at most this often;
 * a known user's call then costs one read and takes no lock.
 */
const LAST_SEEN_PRECISION = '5 minutes';

/**
 * Records a user's sign-in: creates the user on first sight, refreshes name, e-mail and last seen
 * otherwise. The first user a tenant ever sees becomes user and tenant administrator; only that
 * path locks the tenant row, so that two simultaneous first sign-ins cannot both find the tenant
 * empty. Must run inside withTenant().
 */
export async function recordSignIn(
  tx: Queryable,
  tenantId: string,
  identity: SignInIdentity,
): Promise<UserRow> {
  const email = identity.email.slice(0, 320);
  const displayName = identity.displayName.slice(0, 256);
  // Known user: update only what changed (or a stale last seen); otherwise just read the row.
  const known = await tx.query<UserRow>(
    `with touched as (
       update users set email = $3, display_name = $4, last_seen_at = now()
        where tenant_id = $1 and entra_object_id = $2
          and (email <> $3 or display_name <> $4 or last_seen_at < now() - $5::interval)
        returning *)
     select * from touched
     union all
     select * from users
      where tenant_id = $1 and entra_object_id = $2 and not exists (select 1 from touched)`,
    [tenantId, identity.objectId, email, displayName, LAST_SEEN_PRECISION],
  );
  if (known.rows[0]) return known.rows[0];

  await tx.query('select id from tenants where id = $1 for update', [tenantId]);
  const result = await tx.query<UserRow & { inserted: boolean }>(
    `insert into users (tenant_id, entra_object_id, email, display_name, is_user_admin, is_tenant_admin)
     select $1, $2, $3, $4, first_user, first_user
       from (select not exists (select 1 from users where tenant_id = $1) as first_user) as tenant_state
     on conflict (tenant_id, entra_object_id) do update
       set email = excluded.email, display_name = excluded.display_name, last_seen_at = now()
     returning *, (xmax = 0) as inserted`,
    [tenantId, identity.objectId, email, displayName],
  );
  const row = result.rows[0];
  if (!row) throw new Error('recording a sign-in returned no row');
  const { inserted, ...user } = row;
  if (inserted) await assignFreeLicences(tx, tenantId, user.id);
  return user;
}

/**
 * Gives a new user every licence that still has a free seat, for each module whose tenant setting
 * asks for that (tenant-settings/; without saved settings the subscription decides — trials do).
 * Runs under the tenant lock taken in recordSignIn, which administrators' assignments take too
 * (licensing/lock-tenant-for-licensing.ts), so seats cannot be oversubscribed.
 */
async function assignFreeLicences(tx: Queryable, tenantId: string, userId: string): Promise<void> {
  await tx.query(
    `insert into licence_assignments (tenant_id, user_id, module)
     select s.tenant_id, $2, seat.module
       from subscriptions s
       left join tenant_settings ts on ts.tenant_id = s.tenant_id
       cross join lateral (values
         ('team', s.seats_team, coalesce(ts.auto_assign_team, s.auto_assign_licences)),
         ('transfer', s.seats_transfer, coalesce(ts.auto_assign_transfer, s.auto_assign_licences))
       ) as seat (module, seats, automatic)
      where s.tenant_id = $1
        and seat.automatic
        and (select count(*) from licence_assignments la
              where la.tenant_id = $1 and la.module = seat.module) < seat.seats
     on conflict do nothing`,
    [tenantId, userId],
  );
}
