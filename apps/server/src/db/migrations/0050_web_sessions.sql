-- Server-side sessions of the portal and the operator console (signed in with OpenID Connect).
-- The cookie carries a random token; only its SHA-256 hash is stored.
create table web_sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  app text not null check (app in ('portal', 'operator')),
  -- Portal sessions belong to a tenant user; operator sessions to a user of the operator's tenant.
  tenant_id uuid references tenants (id) on delete cascade,
  user_id uuid references users (id) on delete cascade,
  operator_email text check (length(operator_email) <= 320),
  display_name text not null check (length(display_name) <= 256),
  created_at timestamptz not null default now(),
  last_activity_at timestamptz not null default now(),
  expires_at timestamptz not null,
  check ((app = 'portal' and tenant_id is not null and user_id is not null and operator_email is null)
      or (app = 'operator' and tenant_id is null and user_id is null and operator_email is not null))
);
create index web_sessions_expiry on web_sessions (expires_at);

alter table web_sessions enable row level security;
create policy tenant_isolation on web_sessions
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
