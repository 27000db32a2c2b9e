-- The registration portal (/register): accounts of buyers (not Microsoft identities), their single-use
-- e-mail links and sessions, the company data invoices will need, and the binding of a subscription
-- to the account that started it. Accounts are not tenant-owned: row-level security is enabled, and
-- the tenant role (withTenant) sees at most the account its own tenant is bound to, never another's.

create table registration_accounts (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (length(email) between 3 and 320),
  full_name text not null check (length(full_name) between 1 and 200),
  language text not null check (language in ('en', 'de')),
  created_at timestamptz not null,
  -- Set when the first link sent to the address is used; unconfirmed accounts go after 7 days.
  email_confirmed_at timestamptz,
  -- The Microsoft tenant the buyer connected by signing in with Microsoft (see tenants).
  tenant_id uuid references tenants (id) on delete set null,
  tenant_connected_at timestamptz,
  -- Company data (all set together by one form).
  company_name text check (length(company_name) between 1 and 200),
  street text check (length(street) between 1 and 200),
  postal_code text check (length(postal_code) between 1 and 20),
  city text check (length(city) between 1 and 100),
  country text check (country ~ '^[A-Z]{2}$'),
  vat_id text check (length(vat_id) between 4 and 20),
  invoice_email text check (length(invoice_email) between 3 and 320),
  po_reference text check (length(po_reference) between 1 and 100),
  company_updated_at timestamptz,
  check ((tenant_id is null) = (tenant_connected_at is null))
);
create index registration_accounts_unconfirmed on registration_accounts (created_at)
  where email_confirmed_at is null;
alter table registration_accounts enable row level security;
create policy tenant_isolation on registration_accounts
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Links mailed for signing up (confirms the address) and signing in. The link's token is the row's
-- id signed with the form-signing secret, made again when the mail is sent: no token is stored, not
-- even in the job. A link works once (used_at) and until expires_at.
create table registration_links (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references registration_accounts (id) on delete cascade,
  purpose text not null check (purpose in ('confirm', 'sign_in')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index registration_links_expiry on registration_links (expires_at);
alter table registration_links enable row level security;

-- Sessions of the registration portal: the cookie carries a random token, only its hash is stored.
create table registration_sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  account_id uuid not null references registration_accounts (id) on delete cascade,
  created_at timestamptz not null,
  last_activity_at timestamptz not null,
  expires_at timestamptz not null
);
create index registration_sessions_expiry on registration_sessions (expires_at);
alter table registration_sessions enable row level security;

-- Whether a global administrator of the tenant granted Mailissa's application permissions (admin
-- consent). Tenants that existed before registration were set up with consent given.
alter table tenants add column admin_consent_at timestamptz;
update tenants set admin_consent_at = created_at;

-- Who started a subscription through the registration portal (null for ones set up otherwise).
-- subscriptions.tenant_id is unique: one subscription per tenant, enforced by the database.
alter table subscriptions add column account_id uuid references registration_accounts (id) on delete set null;
alter table subscriptions add column cancelled_at timestamptz;
