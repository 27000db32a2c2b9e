-- The audit log: every administrative change and every transfer, who did it, when, and what changed.
-- Actor names are copied (not joined) so an entry still says who acted after that user is gone.

create table audit_events (
  id uuid not null default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  occurred_at timestamptz not null default now(),
  -- Null for changes made by Mailissa itself (a job, the operator); then actor_name says who.
  actor_user_id uuid,
  actor_name text not null check (length(actor_name) <= 256),
  action text not null check (action ~ '^[a-z_]+\.[a-z_]+$' and length(action) <= 64),
  -- What was changed: a kind (`user`, `target`, `category`, `setting`, `transfer` …) and its id.
  subject_type text not null check (length(subject_type) <= 64),
  subject_id text check (length(subject_id) <= 256),
  subject_label text check (length(subject_label) <= 512),
  before jsonb,
  after jsonb,
  primary key (tenant_id, id)
);
create index audit_events_by_time on audit_events (tenant_id, occurred_at desc);
create index audit_events_by_actor on audit_events (tenant_id, actor_user_id, occurred_at desc);

alter table audit_events enable row level security;
create policy tenant_isolation on audit_events
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
