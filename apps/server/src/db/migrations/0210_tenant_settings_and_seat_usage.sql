-- Tenant settings (automatic licences per module, the portal's inactivity sign-out, the default
-- language of new users, audit retention) and a daily snapshot of seat usage for the portal's chart.

create table tenant_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  -- A user's first start gives them a licence of the module while seats last.
  auto_assign_team boolean not null default false,
  auto_assign_transfer boolean not null default false,
  -- Null: the server's configured default (SESSION_IDLE_MINUTES).
  portal_idle_minutes integer check (portal_idle_minutes between 3 and 60),
  default_language text not null default 'en' check (default_language in ('en', 'de')),
  audit_retention_days integer not null default 365 check (audit_retention_days between 30 and 3650),
  updated_at timestamptz not null default now()
);

-- Tenants that exist now keep what their subscription said about automatic licences, for both modules.
insert into tenant_settings (tenant_id, auto_assign_team, auto_assign_transfer)
select tenant_id, auto_assign_licences, auto_assign_licences from subscriptions
on conflict do nothing;

alter table tenant_settings enable row level security;
create policy tenant_isolation on tenant_settings
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

create table seat_usage_daily (
  tenant_id uuid not null references tenants (id) on delete cascade,
  day date not null,
  module text not null check (module in ('team', 'transfer')),
  assigned integer not null check (assigned >= 0),
  seats integer not null check (seats >= 0),
  primary key (tenant_id, module, day)
);

alter table seat_usage_daily enable row level security;
create policy tenant_isolation on seat_usage_daily
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The portal lists 10,000 users paged and searched by name or e-mail, sorted by either.
create index users_by_name on users (tenant_id, lower(display_name), id);
create index users_by_email on users (tenant_id, lower(email), id);
