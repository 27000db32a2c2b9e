-- Outlook mirror (issue 9 item 5): one Graph change-notification subscription per mailbox whose
-- copies of team mails Mailissa keeps in step. The clientState secret Graph echoes in every
-- notification is stored only as its SHA-256 hash; the delta link is where the catch-up by delta
-- query continues (docs/microsoft-365.md §4.9, §4.10).

create table outlook_subscriptions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- The mailbox's Entra object id (a member's own mailbox or a shared mailbox).
  mailbox_object_id uuid not null,
  -- Graph's subscription id; null after Graph removed it and before it is created again.
  graph_subscription_id text unique check (length(graph_subscription_id) between 1 and 128),
  client_state_hash bytea not null check (length(client_state_hash) = 32),
  expires_at timestamptz,
  delta_link text check (length(delta_link) <= 8192),
  last_notification_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, mailbox_object_id)
);
create index outlook_subscriptions_expiry on outlook_subscriptions (expires_at);

alter table outlook_subscriptions enable row level security;
create policy tenant_isolation on outlook_subscriptions
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
