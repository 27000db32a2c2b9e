-- The Microsoft commercial marketplace as a second way to buy (SaaS fulfillment API v2): the
-- marketplace subscription behind a tenant's subscription, and the webhook operations already applied.
-- Microsoft bills these; our invoicing and dunning never touch them. See docs/decisions/140.

-- Set when the tenant's subscription was bought in the marketplace (Microsoft's SaaS subscription id).
alter table subscriptions add column marketplace_subscription_id uuid unique;
alter table subscriptions add constraint subscriptions_one_seller
  check (marketplace_subscription_id is null or provider_subscription_id is null);

-- The marketplace's view of the subscription as last confirmed through its API.
create table marketplace_subscriptions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null unique,
  offer_id text not null check (length(offer_id) between 1 and 100),
  plan_id text not null check (length(plan_id) between 1 and 100),
  quantity integer not null check (quantity >= 1),
  term_unit text not null check (term_unit in ('P1M', 'P1Y')),
  status text not null check (status in ('PendingFulfillmentStart', 'Subscribed', 'Suspended', 'Unsubscribed')),
  -- The Microsoft tenant that bought (may differ from the beneficiary for a reseller's purchase).
  purchaser_microsoft_tenant_id uuid not null,
  activated_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (tenant_id, id)
);
alter table marketplace_subscriptions enable row level security;
create policy tenant_isolation on marketplace_subscriptions
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Webhook operations applied (or rejected), by Microsoft's operation id: a redelivery changes nothing.
create table marketplace_operations (
  tenant_id uuid not null,
  id uuid not null unique,
  subscription_id uuid not null,
  action text not null check (action in ('ChangePlan', 'ChangeQuantity', 'Suspend', 'Reinstate', 'Unsubscribe', 'Renew')),
  outcome text not null check (outcome in ('applied', 'rejected')),
  received_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, subscription_id) references marketplace_subscriptions (tenant_id, id) on delete cascade
);
create index marketplace_operations_received on marketplace_operations (received_at);
alter table marketplace_operations enable row level security;
create policy tenant_isolation on marketplace_operations
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
