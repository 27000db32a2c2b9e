-- Targets managed in the portal: categories (Outlook colour presets, names in EN and DE), titles in
-- EN and DE, soft delete (a deleted target keeps its transfer history), visibility per user and
-- group, and a per-tenant configuration version that caches compare against (decision 018).

create table categories (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  module text not null check (module in ('transfer', 'team')),
  name_en text not null check (length(name_en) between 1 and 128),
  name_de text not null check (length(name_de) between 1 and 128),
  -- Outlook's colour presets (docs/microsoft-365.md §5.8): preset0 … preset24.
  color text not null check (color ~ '^preset([0-9]|1[0-9]|2[0-4])$'),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index categories_by_tenant on categories (tenant_id, module, position);

alter table categories enable row level security;
create policy tenant_isolation on categories
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Existing free-text categories become rows (colour preset0) before the column goes.
insert into categories (tenant_id, module, name_en, name_de, color, position)
select tenant_id, 'transfer', category, category, 'preset0',
       (row_number() over (partition by tenant_id order by category))::int - 1
  from (select distinct tenant_id, category from targets) as existing;

alter table targets rename column title to title_en;
alter table targets add column title_de text check (length(title_de) between 1 and 256);
update targets set title_de = title_en;
alter table targets alter column title_de set not null;
alter table targets add column category_id uuid references categories (id) on delete set null;
update targets g set category_id = c.id
  from categories c where c.tenant_id = g.tenant_id and c.name_en = g.category;
alter table targets drop constraint targets_tenant_id_category_title_key;
alter table targets drop column category;
-- A deleted target stays as a row so transfers still name it; it is never listed or used again.
alter table targets add column deleted_at timestamptz;
-- false: only the users and groups in target_visibility see it.
alter table targets add column visible_to_everyone boolean not null default true;
create unique index targets_unique_title on targets (tenant_id, title_en) where deleted_at is null;

-- Transfers keep their target: deleting a target is a soft delete, and a hard delete is refused.
alter table transfers drop constraint transfers_target_id_fkey;
alter table transfers add constraint transfers_target_id_fkey
  foreign key (target_id) references targets (id) on delete restrict;

-- Who sees a restricted target: Entra users and groups (transitively), by object id. Only the id and
-- display name are kept, and only while the entry exists (declared in the data inventory).
create table target_visibility (
  tenant_id uuid not null references tenants (id) on delete cascade,
  target_id uuid not null references targets (id) on delete cascade,
  principal_type text not null check (principal_type in ('user', 'group')),
  principal_id uuid not null,
  display_name text not null check (length(display_name) <= 256),
  primary key (target_id, principal_type, principal_id)
);
create index target_visibility_by_tenant on target_visibility (tenant_id);

alter table target_visibility enable row level security;
create policy tenant_isolation on target_visibility
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Raised in the transaction of every change to targets, categories or visibility; caches of the
-- tenant's configuration compare against it (and PostgreSQL notifies other servers, decision 018).
alter table tenants add column config_version bigint not null default 0;
