-- What Mailissa created in a customer's Microsoft 365 (a mailbox's master category, a change
-- notification subscription), recorded by the feature that created it so that the end of the tenancy
-- can remove it again through Graph (issue 13, part 6). Tenant-owned, under row-level security.
create table microsoft_artefacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null check (kind in ('master_category', 'subscription')),
  -- The mailbox (Entra object id) a master category lives in; null for a subscription.
  mailbox_object_id text check (length(mailbox_object_id) <= 64),
  graph_id text not null check (length(graph_id) <= 256),
  -- What a person would recognise: the category's name, or the subscription's resource.
  label text not null check (length(label) <= 512),
  created_at timestamptz not null
);
create unique index microsoft_artefacts_unique
  on microsoft_artefacts (tenant_id, kind, coalesce(mailbox_object_id, ''), graph_id);
alter table microsoft_artefacts enable row level security;
create policy tenant_isolation on microsoft_artefacts
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- What the deletion did in Microsoft 365: removed, already gone, not allowed any more, failed.
alter table tenant_deletion_records add column microsoft_artefacts jsonb;
