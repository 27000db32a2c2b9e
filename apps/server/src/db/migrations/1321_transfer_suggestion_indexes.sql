-- Target suggestions (decision 073) look for earlier transfers of the same conversation, sender or
-- sender's domain, or by the same user, in the last 180 days. Only the user had an index: every
-- suggestion read the tenant's whole half-year of transfers (280 ms for 300,000 transfers on a
-- development machine). With one index per key the look-up reads the matching transfers only (46 ms
-- for the 1,640 that matched there). `if not exists`: on a large table an
-- operator builds them beforehand with `create index concurrently` (docs/operations.md §5).
create index if not exists transfers_by_conversation on transfers (tenant_id, conversation_key, created_at desc);
create index if not exists transfers_by_sender on transfers (tenant_id, sender_key, created_at desc);
create index if not exists transfers_by_sender_domain on transfers (tenant_id, sender_domain_key, created_at desc);
