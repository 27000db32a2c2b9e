-- The connector registry (connectors/connector-registry.ts) decides which connector types exist; every
-- target is validated against it before it is written. A check constraint listing the types here
-- would need a migration per connector (and collide between connectors added in parallel).
alter table targets drop constraint if exists targets_connector_type_check;
alter table targets add constraint targets_connector_type_format
  check (connector_type ~ '^[a-z][a-z0-9_]{1,63}$');
