-- Tenancy: organisations (bound to a Microsoft tenant), their users, subscriptions and licences.
-- Every tenant-owned table carries tenant_id and a row-level security policy on it.

create table tenants (
  id uuid primary key default gen_random_uuid(),
  microsoft_tenant_id uuid not null unique,
  name text not null check (length(name) between 1 and 256),
  state text not null default 'active' check (state in ('active', 'suspended', 'deleted')),
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  entra_object_id uuid not null,
  email text not null check (length(email) <= 320),
  display_name text not null check (length(display_name) <= 256),
  is_user_admin boolean not null default false,
  is_tenant_admin boolean not null default false,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  unique (tenant_id, entra_object_id)
);

create table subscriptions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null unique references tenants (id) on delete cascade,
  plan text not null check (plan in ('trial', 'team', 'transfer', 'suite')),
  seats_team integer not null default 0 check (seats_team >= 0),
  seats_transfer integer not null default 0 check (seats_transfer >= 0),
  -- When set, a user signing in for the first time gets every licence that still has a free seat.
  auto_assign_licences boolean not null default false,
  state text not null check (state in ('trial', 'active', 'past_due', 'cancelled', 'expired')),
  period_start timestamptz not null default now(),
  period_end timestamptz not null,
  created_at timestamptz not null default now(),
  check (period_end > period_start)
);

create table licence_assignments (
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  module text not null check (module in ('team', 'transfer')),
  assigned_at timestamptz not null default now(),
  primary key (user_id, module)
);
create index licence_assignments_tenant on licence_assignments (tenant_id, module);

-- Row-level security: the second wall behind every query's own tenant_id filter. It binds the
-- unprivileged role that tenant-scoped transactions switch to (see db/database.ts withTenant).
alter table tenants enable row level security;
create policy tenant_isolation on tenants
  using (id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table users enable row level security;
create policy tenant_isolation on users
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table subscriptions enable row level security;
create policy tenant_isolation on subscriptions
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table licence_assignments enable row level security;
create policy tenant_isolation on licence_assignments
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
