-- A night's tenancy deletion that failed for one tenant (issue 13, part 6): the run goes on with the
-- others, the failure is kept here for the operator, and the next run tries the tenant again. Keyed
-- by the tenant, so the tenant's successful deletion removes its failures with its other rows (the
-- deletion record then stands for it).
create table tenant_deletion_failures (
  id uuid not null default gen_random_uuid(),
  tenant_id uuid not null,
  failed_at timestamptz not null,
  -- An error code or class name, never a message (which could quote data).
  error text not null check (length(error) between 1 and 200),
  primary key (tenant_id, id)
);
alter table tenant_deletion_failures enable row level security;
create policy tenant_isolation on tenant_deletion_failures
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
