-- Targets (places a mail can be transferred to) and transfers (one mail sent to one target), with
-- the files each transfer wrote so that a re-run after a crash skips what is already there.

create table targets (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  connector_type text not null check (connector_type in ('sharepoint')),
  category text not null check (length(category) between 1 and 128),
  title text not null check (length(title) between 1 and 256),
  -- Validated per connector by its zod schema before it is written; never holds secrets.
  settings jsonb not null default '{}'::jsonb,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, category, title)
);

create table transfers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  target_id uuid not null references targets (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  -- Whose mailbox holds the message (Entra object id); the worker reads it from there.
  mailbox_object_id uuid not null,
  message_id text not null check (length(message_id) <= 1024),
  internet_message_id text not null check (length(internet_message_id) <= 998),
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  -- The worker attempt that owns the transfer; a stale attempt cannot overwrite a newer one.
  attempt_id uuid,
  folder_url text check (length(folder_url) <= 2048),
  failure_reason text check (length(failure_reason) <= 500),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index transfers_by_message on transfers (tenant_id, internet_message_id, created_at desc);
create index transfers_by_time on transfers (tenant_id, created_at desc);
create index transfers_unfinished on transfers (state, created_at) where state in ('queued', 'running');

create table transfer_files (
  transfer_id uuid not null references transfers (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- `message` for the .eml, otherwise the Graph attachment id.
  part_key text not null check (length(part_key) <= 1024),
  position integer not null,
  name text not null check (length(name) <= 255),
  size bigint not null check (size >= 0),
  done boolean not null default false,
  primary key (transfer_id, part_key)
);
create index transfer_files_tenant on transfer_files (tenant_id);

alter table targets enable row level security;
create policy tenant_isolation on targets
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table transfers enable row level security;
create policy tenant_isolation on transfers
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

alter table transfer_files enable row level security;
create policy tenant_isolation on transfer_files
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
