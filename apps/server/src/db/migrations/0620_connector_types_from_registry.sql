-- Targets of the Jira, Trello and Domino connectors (issue 11). The list of connector types lives in
-- one place, the registry (connectors/connector-registry.ts, packages/contracts CONNECTOR_TYPES),
-- which refuses an unknown type with `unknown_connector`; a check here would have to be rewritten by
-- every branch that adds a connector, and two such rewrites cannot both win.
alter table targets drop constraint if exists targets_connector_type_check;
-- 0600 may have set the same rule already (connectors merged in parallel): replace it.
alter table targets drop constraint if exists targets_connector_type_format;
alter table targets add constraint targets_connector_type_format
  check (connector_type ~ '^[a-z][a-z0-9_]{1,31}$');
