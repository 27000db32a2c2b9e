-- Data-subject rights (rights/, docs/decisions/019): requests with their deadline and an append-only
-- trail, rows held for a legal reason after an erasure, restrictions and objections of signed-in
-- users, and the end of a tenancy with the record of its deletion.

-- One request of a person: by self-service, through the website (after the e-mail link), by a
-- customer's administrator for a departed employee, or entered by the operator.
create table rights_requests (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('access', 'rectification', 'erasure', 'restriction', 'objection')),
  channel text not null check (channel in ('self_service', 'website', 'administrator', 'operator')),
  status text not null check (status in ('awaiting_confirmation', 'open', 'completed', 'rejected')),
  language text not null check (language in ('en', 'de')),
  subject_email text check (length(subject_email) between 3 and 320),
  subject_user_id uuid,
  -- The tenant of the user concerned (no foreign key: the request outlives the tenancy).
  tenant_id uuid,
  details text check (length(details) <= 2000),
  received_at timestamptz not null,
  confirmed_at timestamptz,
  -- One month from receipt of a confirmed request (Art. 12(3) GDPR), extendable once by two months.
  due_at timestamptz,
  extended_at timestamptz,
  extension_reason text check (length(extension_reason) <= 2000),
  identity_check text check (length(identity_check) <= 200),
  -- SHA-256 of the single-use link's secret; cleared when the link is used.
  confirm_token_hash text check (length(confirm_token_hash) <= 64),
  confirm_expires_at timestamptz,
  completed_at timestamptz,
  -- What was done: per table rows exported, erased, held or pseudonymised, and why (no data itself).
  result jsonb,
  requested_by text check (length(requested_by) <= 320)
);
create index rights_requests_due on rights_requests (status, due_at);
create index rights_requests_email on rights_requests (lower(subject_email));
create index rights_requests_tenant on rights_requests (tenant_id, received_at desc);
alter table rights_requests enable row level security;
-- A customer's administrators see the requests concerning their tenant's users.
create policy tenant_isolation on rights_requests
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The trail of every request: received, confirmed, extended, actions and their results, replies.
-- Append-only: the trigger below refuses every UPDATE, and a DELETE of entries younger than three
-- years (the limitation period an operator must be able to answer for a request within).
create table rights_request_events (
  id bigint generated always as identity primary key,
  request_id uuid not null references rights_requests (id),
  occurred_at timestamptz not null default now(),
  actor text not null check (length(actor) <= 320),
  action text not null check (action ~ '^[a-z_]+$' and length(action) <= 64),
  outcome text not null check (outcome in ('done', 'failed', 'info')),
  detail jsonb
);
create index rights_request_events_request on rights_request_events (request_id, id);
alter table rights_request_events enable row level security;
-- The tenant role reaches the events of its own tenant's requests only (rights_requests' policy).
create policy tenant_isolation on rights_request_events
  using (exists (select 1 from rights_requests r where r.id = request_id));

create function rights_request_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and old.occurred_at < now() - interval '3 years' then
    return old;
  end if;
  raise exception 'rights_request_events is append-only (% refused)', tg_op;
end;
$$;
create trigger rights_request_events_append_only
  before update or delete on rights_request_events
  for each row execute function rights_request_events_append_only();

-- Rows an erasure could not delete because the law requires keeping them: moved here, locked (read
-- only by an export for the same person and by the retention job), and erased when the hold ends.
create table held_records (
  id uuid primary key default gen_random_uuid(),
  source_table text not null check (length(source_table) <= 64),
  tenant_id uuid,
  -- The keys the person can be found by again ({"email": …}, {"userId": …}).
  subject_keys jsonb not null,
  data jsonb not null,
  reason_en text not null,
  reason_de text not null,
  held_at timestamptz not null,
  hold_until timestamptz not null,
  request_id uuid references rights_requests (id),
  check (hold_until > held_at)
);
create index held_records_until on held_records (hold_until);
alter table held_records enable row level security;
create policy tenant_isolation on held_records
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- A signed-in user's restriction of, or objection to, an optional processing; honoured where it runs.
create table processing_objections (
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  processing text not null check (processing in ('usage_log')),
  kind text not null check (kind in ('restriction', 'objection')),
  reason text check (length(reason) <= 2000),
  recorded_at timestamptz not null,
  primary key (user_id, processing)
);
alter table processing_objections enable row level security;
create policy tenant_isolation on processing_objections
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The end of a customer's tenancy, asked for by its administrator: every tenant-owned row goes
-- after `delete_after` (a subscription that ended counts the same, from its period end).
create table tenancy_endings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  requested_at timestamptz not null,
  requested_by_user_id uuid,
  delete_after timestamptz not null
);
alter table tenancy_endings enable row level security;
create policy tenant_isolation on tenancy_endings
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The operator's record that a tenancy's data was deleted: counts per table, what a hold kept.
-- Not tenant-owned (the tenant is gone): no policy, the tenant role sees nothing.
create table tenant_deletion_records (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  tenant_name text not null check (length(tenant_name) <= 256),
  reason text not null check (reason in ('customer_request', 'subscription_ended')),
  deleted_at timestamptz not null,
  rows_deleted jsonb not null,
  rows_held jsonb not null
);
alter table tenant_deletion_records enable row level security;
-- Kept for the operator after the tenant's rows are gone; a tenant's own role may at most see its own.
create policy tenant_isolation on tenant_deletion_records
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
