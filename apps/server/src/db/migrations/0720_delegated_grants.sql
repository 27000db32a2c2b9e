-- What lets a transfer job act in Microsoft 365 as the user who asked for it (on-behalf-of,
-- docs/decisions/075): the user's delegated refresh token and the current access token, sealed with
-- AES-256-GCM under CREDENTIALS_KEY like the credentials table. One row per user; replaced at every
-- transfer to a Microsoft target, rotated by every refresh.

create table delegated_grants (
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  key_id text not null check (length(key_id) between 1 and 64),
  -- iv (12 bytes) || ciphertext || tag (16 bytes); the tenant and user are bound as AAD.
  sealed bytea not null,
  -- Raised on every change, so two workers refreshing at once keep the newer tokens.
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);

alter table delegated_grants enable row level security;
create policy tenant_isolation on delegated_grants
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
