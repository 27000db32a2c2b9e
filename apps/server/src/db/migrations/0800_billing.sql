-- Billing: the payment provider's customer and subscription behind each paid subscription, the
-- webhook events already applied, VAT id checks (VIES) kept as proof, and invoices with their
-- gapless per-year numbers. See docs/decisions/080–084.

-- A subscription paid through the provider. 'suspended': dunning's grace period ran out; the
-- tenant's configuration and licences stay, access returns when the overdue invoice is paid.
alter table subscriptions drop constraint if exists subscriptions_state_check;
alter table subscriptions add constraint subscriptions_state_check
  check (state in ('trial', 'active', 'past_due', 'suspended', 'cancelled', 'expired'));
alter table subscriptions add column billing_interval text check (billing_interval in ('month', 'year'));
alter table subscriptions add column provider_subscription_id text unique;
alter table subscriptions add column cancel_at_period_end boolean not null default false;
-- When the first payment of the current dunning run failed; null when nothing is overdue.
alter table subscriptions add column past_due_since timestamptz;
-- The provider's event time of the state last applied: an older event's snapshot never wins.
alter table subscriptions add column provider_synced_at timestamptz;

-- The provider's customer of an account (one per account, created at its first checkout).
alter table registration_accounts add column provider_customer_id text unique;

-- Webhook events applied, by the provider's event id: a redelivered event changes nothing.
create table billing_events (
  id text primary key check (length(id) between 1 and 255),
  type text not null check (length(type) between 1 and 100),
  received_at timestamptz not null
);
create index billing_events_received on billing_events (received_at);
alter table billing_events enable row level security;

-- Every VIES answer for an account's VAT id, kept as proof of the reverse charge (or of its refusal).
create table vat_checks (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references registration_accounts (id) on delete cascade,
  vat_id text not null check (length(vat_id) between 4 and 20),
  checked_at timestamptz not null,
  valid boolean not null,
  -- VIES' consultation number: the proof a tax office accepts that the number was checked then.
  request_identifier text check (length(request_identifier) <= 100),
  trader_name text check (length(trader_name) <= 500),
  trader_address text check (length(trader_address) <= 1000)
);
create index vat_checks_account on vat_checks (account_id, checked_at desc);
alter table vat_checks enable row level security;

-- The last invoice number given per year; updated in the transaction that issues the invoice, so a
-- rolled-back issue gives its number back and two issuers queue on the row: no gap, no duplicate.
create table invoice_counters (
  year integer primary key check (year between 2000 and 2999),
  last_number integer not null check (last_number >= 0)
);
alter table invoice_counters enable row level security;

-- Invoices and credit notes as issued: never changed afterwards (a trigger refuses), kept ten years.
create table invoices (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  account_id uuid references registration_accounts (id) on delete set null,
  number text not null unique check (length(number) between 1 and 40),
  year integer not null,
  sequence integer not null check (sequence > 0),
  kind text not null check (kind in ('invoice', 'credit_note')),
  corrects_invoice_id uuid references invoices (id),
  issued_at timestamptz not null,
  service_period_start timestamptz not null,
  service_period_end timestamptz not null,
  language text not null check (language in ('en', 'de')),
  currency text not null check (currency = 'EUR'),
  net_cents bigint not null,
  tax_cents bigint not null,
  gross_cents bigint not null,
  tax_rate_percent numeric(5, 2) not null,
  tax_treatment text not null check (tax_treatment in ('standard', 'reverse_charge', 'outside_eu')),
  -- The buyer as invoiced (company, address, VAT id, e-mail), a snapshot: later edits do not change it.
  buyer jsonb not null,
  -- The buyer's invoice address, also inside `buyer`: the key the data-subject rights find invoices by.
  buyer_email text not null check (length(buyer_email) between 3 and 320),
  lines jsonb not null,
  provider_invoice_id text unique,
  pdf bytea not null,
  xml text not null,
  paid_at timestamptz,
  check (gross_cents = net_cents + tax_cents),
  check (service_period_end >= service_period_start),
  unique (year, sequence)
);
create index invoices_tenant on invoices (tenant_id, issued_at desc);
alter table invoices enable row level security;
create policy tenant_isolation on invoices
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Issued means final: only the payment date may still be set (once), and the link to the account may
-- go when the account is deleted (the buyer snapshot stays). Corrections are credit notes.
create function invoices_immutable() returns trigger language plpgsql as $$
begin
  if (to_jsonb(new) - 'paid_at' - 'account_id') is distinct from (to_jsonb(old) - 'paid_at' - 'account_id')
     or (old.paid_at is not null and new.paid_at is distinct from old.paid_at)
     or (new.account_id is not null and new.account_id is distinct from old.account_id) then
    raise exception 'invoice % is issued and cannot be changed; issue a credit note', old.number
      using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger invoices_immutable before update on invoices
  for each row execute function invoices_immutable();
