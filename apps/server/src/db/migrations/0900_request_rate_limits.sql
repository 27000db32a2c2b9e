-- The general rate limit (RATE_LIMIT_PER_MINUTE) per client network and fixed one-minute window,
-- shared by every server process on this database: two instances behind a load balancer give a
-- network one budget, not one each. Keyed by the anonymised network only (IPv4 /24, IPv6 /48 or /64,
-- as the usage log and abuse_networks store it). Not owned by a tenant: row-level security without a
-- policy keeps the tenant role out. The privacy-retention job deletes windows that are over.
-- See docs/decisions/022-rate-limits-shared-in-the-database.md.
create table request_rate_limits (
  network text not null check (length(network) <= 64),
  window_start timestamptz not null,
  hits integer not null check (hits >= 0),
  primary key (network, window_start)
);
create index request_rate_limits_expiry on request_rate_limits (window_start);
alter table request_rate_limits enable row level security;
