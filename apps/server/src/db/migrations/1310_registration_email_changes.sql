-- A buyer changing the sign-in address of their registration account (Art. 16 GDPR; issue 13): the
-- new address is only taken once the single-use link mailed to it is used. The link's token is
-- random and only its hash is stored; it works once (used_at) and for 24 hours.
create table registration_email_changes (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references registration_accounts (id) on delete cascade,
  new_email text not null check (length(new_email) between 3 and 320),
  token_hash text not null unique,
  language text not null check (language in ('en', 'de')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index registration_email_changes_expiry on registration_email_changes (expires_at);
create index registration_email_changes_account on registration_email_changes (account_id);
-- Like the other registration tables: not tenant-owned, the tenant role sees none of it.
alter table registration_email_changes enable row level security;
