-- The Microsoft targets (onedrive, teams_channel, planner, todo) join sharepoint. Which connector
-- types exist is the contract's list (packages/contracts CONNECTOR_TYPES, checked by every route
-- that writes a target); the database keeps only the shape of the name, so each new connector does
-- not need to rewrite one shared list here (docs/decisions/076).
alter table targets drop constraint if exists targets_connector_type_check;
alter table targets add constraint targets_connector_type_format
  check (connector_type ~ '^[a-z][a-z0-9_]{0,63}$');
