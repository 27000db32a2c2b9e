-- Contact enquiries from the website's form, and the shared counters that rate-limit the website's
-- forms. Neither is tenant-owned: row-level security is enabled with no policy, so the tenant role
-- (withTenant) sees none of it; only the server's own role, for the operator console, does.

create table contact_enquiries (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  email text not null check (length(email) between 3 and 320),
  company text check (length(company) between 1 and 200),
  message text not null check (length(message) between 1 and 5000),
  language text not null check (language in ('en', 'de')),
  received_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_at timestamptz,
  -- When the mail to the operator's inbox went out (null while it is queued or retried).
  operator_notified_at timestamptz,
  check ((status = 'closed') = (closed_at is not null))
);
create index contact_enquiries_received on contact_enquiries (received_at desc);
create index contact_enquiries_closed on contact_enquiries (closed_at) where status = 'closed';
alter table contact_enquiries enable row level security;

create table form_rate_limits (
  bucket text not null check (length(bucket) <= 64),
  -- HMAC of the client's address, the bucket and the window; never the address itself.
  source_hash text not null check (length(source_hash) <= 64),
  window_start timestamptz not null,
  hits integer not null check (hits > 0),
  primary key (bucket, source_hash, window_start)
);
create index form_rate_limits_window on form_rate_limits (window_start);
alter table form_rate_limits enable row level security;
