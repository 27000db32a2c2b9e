-- A row of the usage log holds one request shape of one second (method, path, referrer, status,
-- size, browser, system) with all of its sources: their networks, keyed hashes and requests as three
-- arrays of the same length (decision 187). Before, each source was a row of its own, and when every
-- request came from a new address every request cost a row's insert.
--
-- Expand step (docs/operations.md §5): during a rolling deploy the previous release still writes one
-- source per row in ip_truncated and ip_hash, so those stay, nullable, and a row carries exactly one
-- of the two forms. The contract release drops them once the last such row has passed its retention.
alter table usage_log
  alter column ip_truncated drop not null,
  alter column ip_hash drop not null,
  add column source_networks text[],
  add column source_hashes text[],
  add column source_requests integer[];

-- A row's 500 keyed hashes are 32 KB of random hex, which PostgreSQL's compression cannot shrink:
-- stored out of line as they are, not tried first (on PGlite 5.3 against 3.9 µs per source).
alter table usage_log alter column source_hashes set storage external;

-- Array lengths only: a check per element would cost more than the rest of the row's insert.
alter table usage_log add constraint usage_log_one_source_form check (
  case
    when source_hashes is null then
      ip_truncated is not null and ip_hash is not null and source_networks is null and source_requests is null
    else
      ip_truncated is null and ip_hash is null
      and cardinality(source_hashes) > 0
      and cardinality(source_networks) = cardinality(source_hashes)
      and cardinality(source_requests) = cardinality(source_hashes)
  end
);

-- The log as one row per source and request shape, whichever form a row was written in: what the
-- operator's security view and the retention job read. security_invoker: the view reads usage_log
-- with the caller's rights, so its row-level security keeps the tenant role out here too.
create view usage_log_by_source with (security_invoker = true) as
select l.occurred_at, l.method, l.path, l.referrer, l.status, l.bytes_sent, l.browser, l.os,
       s.ip_truncated, s.ip_hash, s.requests
  from usage_log l
  cross join lateral unnest(
    coalesce(l.source_networks, array[l.ip_truncated]),
    coalesce(l.source_hashes, array[l.ip_hash]),
    coalesce(l.source_requests, array[l.requests])
  ) as s(ip_truncated, ip_hash, requests);
