import type { Role, Subscription, Tenant, TenantUser } from '@mailissa/contracts';

/** Rows as the database returns them, and their mapping to the API's shapes. */
export interface TenantRow {
  id: string;
  microsoft_tenant_id: string;
  name: string;
  state: Tenant['state'];
}

export interface UserRow {
  id: string;
  tenant_id: string;
  entra_object_id: string;
  email: string;
  display_name: string;
  is_user_admin: boolean;
  is_tenant_admin: boolean;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface SubscriptionRow {
  plan: Subscription['plan'];
  state: Subscription['state'];
  seats_team: number;
  seats_transfer: number;
  period_start: Date;
  period_end: Date;
}

export function toTenant(row: TenantRow): Tenant {
  return { id: row.id, microsoftTenantId: row.microsoft_tenant_id, name: row.name, state: row.state };
}

export function rolesOf(row: Pick<UserRow, 'is_user_admin' | 'is_tenant_admin'>): Role[] {
  const roles: Role[] = [];
  if (row.is_user_admin) roles.push('user_administrator');
  if (row.is_tenant_admin) roles.push('tenant_administrator');
  return roles;
}

export function toUser(row: UserRow): TenantUser {
  return {
    id: row.id,
    objectId: row.entra_object_id,
    email: row.email,
    displayName: row.display_name,
    roles: rolesOf(row),
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  };
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    plan: row.plan,
    state: row.state,
    seatsTeam: row.seats_team,
    seatsTransfer: row.seats_transfer,
    periodStart: row.period_start.toISOString(),
    periodEnd: row.period_end.toISOString(),
  };
}
