-- Per-user credentials for target systems, encrypted with AES-256-GCM under CREDENTIALS_KEY. The
-- ciphertext names the key it was sealed with so keys can rotate; nothing here is readable without it.

create table credentials (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  target_id uuid not null references targets (id) on delete cascade,
  key_id text not null check (length(key_id) between 1 and 64),
  -- iv (12 bytes) || ciphertext || tag (16 bytes); the tenant, user and target are bound as AAD.
  sealed bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_used_at timestamptz,
  unique (tenant_id, user_id, target_id)
);
create index credentials_by_target on credentials (tenant_id, target_id);

alter table credentials enable row level security;
create policy tenant_isolation on credentials
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
