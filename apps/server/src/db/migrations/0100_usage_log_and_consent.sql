-- Website and privacy: anonymised usage log, its daily salts and aggregates, temporary security
-- blocks, cookie-consent proofs and cookieless page-view statistics. None of these tables is owned by
-- a tenant. Row-level security is enabled without a policy, so the unprivileged tenant role (which
-- tenant-scoped transactions switch to) sees and changes none of these rows: the platform's own
-- connection, which owns the tables, is the only reader and writer.

-- Every request, to the second. Never a full IP address: the truncated network (/24, /48) and a keyed
-- hash (HMAC-SHA-256 under the day's salt) only. Identical requests within the same second (same
-- source, path, status, size, browser …) share one row and are counted in `requests`: nothing is
-- lost, and a flood costs one row per second instead of thousands. Raw rows are deleted after the
-- configured days. No primary key: nothing refers to a single row, and every index costs time on
-- each write.
create table usage_log (
  occurred_at timestamptz not null,
  requests integer not null default 1 check (requests > 0),
  method text not null check (length(method) <= 16),
  path text not null check (length(path) <= 512),
  referrer text check (length(referrer) <= 512),
  status smallint not null,
  bytes_sent bigint,
  browser text check (length(browser) <= 64),
  os text check (length(os) <= 64),
  ip_truncated text not null check (length(ip_truncated) <= 64),
  -- A length check, not a pattern: a regular expression per row costs more than the rest of the insert.
  ip_hash text not null check (length(ip_hash) = 64)
);
-- Rows arrive in time order, so a BRIN index serves the retention job at almost no cost per insert.
create index usage_log_occurred_at on usage_log using brin (occurred_at);
create index usage_log_failures on usage_log (occurred_at, ip_hash) where status >= 400;

-- The random salt of each UTC day. Deleted 48 hours after its day began, after which no hash of that
-- day can be recomputed from an address.
create table usage_log_salts (
  day date primary key,
  salt bytea not null check (length(salt) = 32),
  created_at timestamptz not null
);

-- Daily totals that stay after the raw rows are gone; they hold no address and no hash.
create table usage_log_daily (
  day date not null,
  path text not null,
  status smallint not null,
  browser text not null,
  os text not null,
  requests bigint not null,
  bytes_sent bigint not null,
  distinct_sources bigint not null,
  primary key (day, path, status, browser, os)
);

-- Addresses temporarily blocked after repeated failures, for the operator's security view. The
-- block itself is decided in memory on the real address; only its anonymised forms are kept here.
create table security_blocks (
  id bigint generated always as identity primary key,
  ip_truncated text not null check (length(ip_truncated) <= 64),
  ip_hash text not null check (ip_hash ~ '^[0-9a-f]{64}$'),
  reason text not null check (reason in ('repeated_failures', 'rate_limit')),
  failures integer not null,
  blocked_at timestamptz not null,
  blocked_until timestamptz not null
);
create index security_blocks_until on security_blocks (blocked_until);

-- Proof of every cookie choice: which categories, for which policy revision, when (server time).
create table consent_records (
  id bigint generated always as identity primary key,
  consent_id uuid not null,
  recorded_at timestamptz not null,
  policy_revision text not null check (length(policy_revision) <= 40),
  preferences boolean not null,
  statistics boolean not null,
  gpc boolean not null,
  ip_truncated text not null check (length(ip_truncated) <= 64),
  browser text check (length(browser) <= 64)
);
create index consent_records_consent_id on consent_records (consent_id);
create index consent_records_recorded_at on consent_records (recorded_at);

-- Cookieless page views of visitors who allowed statistics: a counter per day and page, nothing else.
create table site_page_views (
  day date not null,
  path text not null check (length(path) <= 512),
  views bigint not null,
  primary key (day, path)
);

alter table usage_log enable row level security;
alter table usage_log_salts enable row level security;
alter table usage_log_daily enable row level security;
alter table security_blocks enable row level security;
alter table consent_records enable row level security;
alter table site_page_views enable row level security;
