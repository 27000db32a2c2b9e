-- Failure counters and temporary blocks of client networks, shared by every server process (a block
-- made by one instance holds on all). Keyed by the anonymised network only (IPv4 /24, IPv6 /48 or
-- /64, as the usage log stores it): no address, no hash. Not owned by a tenant: row-level security
-- without a policy keeps the tenant role out. The privacy-retention job deletes a row once its
-- window and its block are over. See docs/decisions/015-abuse-protection-keys-on-networks.md.
create table abuse_networks (
  network text primary key check (length(network) <= 64),
  -- Start of the current failure window and the failures counted in it.
  window_started_at timestamptz not null,
  failures integer not null check (failures >= 0),
  -- Null, or the end of the block (in force while it lies in the future).
  blocked_until timestamptz
);
create index abuse_networks_expiry on abuse_networks (window_started_at);
alter table abuse_networks enable row level security;
