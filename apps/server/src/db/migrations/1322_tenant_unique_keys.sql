-- The last two unique keys of tenant tables without tenant_id (decision 182), so that every unique
-- key of a tenant table can live on the tenant's shard when the schema is distributed by tenant.
--
-- A Graph subscription is looked up by the tenant its notification names and the subscription id
-- (receive-notifications.ts), never across tenants; no `on conflict` names the old key, so it goes now.
alter table outlook_subscriptions drop constraint outlook_subscriptions_graph_subscription_id_key;
alter table outlook_subscriptions
  add constraint outlook_subscriptions_graph_subscription_id_key unique (tenant_id, graph_subscription_id);

-- A team mail is unique per tenant, team, Message-ID and fingerprint. Expand step (docs/operations.md
-- §5): the previous release's `on conflict (team_id, internet_message_id, fingerprint)` still needs
-- the old key during a rolling deploy, so it stays under a name that says so until the contract
-- release drops it.
alter table team_mails
  rename constraint team_mails_team_id_internet_message_id_fingerprint_key to team_mails_before_1322;
alter table team_mails
  add constraint team_mails_team_id_internet_message_id_fingerprint_key
  unique (tenant_id, team_id, internet_message_id, fingerprint);
