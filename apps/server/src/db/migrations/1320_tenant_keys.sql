-- Every tenant table's primary key and foreign keys carry tenant_id (decisions 120 and 181): the
-- tables written before that rule get their keys widened here, so the schema can be distributed by
-- tenant (Citus) as it stands, and a row can no longer point at another tenant's row.
--
-- Expand step of an expand/contract change (docs/operations.md §5): the previous release's
-- `on conflict` clauses name the old key columns, so a unique index on those stays until the contract
-- release drops it (the *_before_1320 indexes, listed in db/tenant-keys.db.test.ts).
--
-- A composite foreign key that sets null on delete names the column to clear: clearing tenant_id too
-- would break its not-null (PostgreSQL 15 and later).

-- 1. The foreign keys that point at a key about to change.
alter table licence_assignments drop constraint licence_assignments_user_id_fkey;
alter table targets drop constraint targets_category_id_fkey;
alter table transfers drop constraint transfers_created_by_fkey;
alter table transfers drop constraint transfers_target_id_fkey;
alter table transfer_files drop constraint transfer_files_transfer_id_fkey;
alter table web_sessions drop constraint web_sessions_user_id_fkey;
alter table target_visibility drop constraint target_visibility_target_id_fkey;
alter table credentials drop constraint credentials_target_id_fkey;
alter table credentials drop constraint credentials_user_id_fkey;
alter table processing_objections drop constraint processing_objections_user_id_fkey;
alter table team_members drop constraint team_members_team_id_fkey;
alter table team_categories drop constraint team_categories_category_id_fkey;
alter table team_categories drop constraint team_categories_team_id_fkey;
alter table team_mails drop constraint team_mails_assignee_user_id_fkey;
alter table team_mails drop constraint team_mails_team_id_fkey;
alter table team_mail_categories drop constraint team_mail_categories_category_id_fkey;
alter table team_mail_categories drop constraint team_mail_categories_team_mail_id_fkey;
alter table team_mail_copies drop constraint team_mail_copies_tenant_id_team_mail_id_fkey;
alter table team_notes drop constraint team_notes_author_user_id_fkey;
alter table team_notes drop constraint team_notes_team_mail_id_fkey;
alter table team_mentions drop constraint team_mentions_note_id_fkey;
alter table team_mentions drop constraint team_mentions_user_id_fkey;
alter table team_activity drop constraint team_activity_actor_user_id_fkey;
alter table team_activity drop constraint team_activity_team_mail_id_fkey;
alter table team_presence drop constraint team_presence_team_mail_id_fkey;
alter table team_presence drop constraint team_presence_user_id_fkey;
alter table transfer_preferences drop constraint transfer_preferences_user_id_fkey;
alter table target_transfer_options drop constraint target_transfer_options_target_id_fkey;
alter table delegated_grants drop constraint delegated_grants_user_id_fkey;

-- 2. Primary keys with tenant_id first, under their old names.
alter table users drop constraint users_pkey, add constraint users_pkey primary key (tenant_id, id);
alter table categories drop constraint categories_pkey, add constraint categories_pkey primary key (tenant_id, id);
alter table targets drop constraint targets_pkey, add constraint targets_pkey primary key (tenant_id, id);
alter table target_transfer_options drop constraint target_transfer_options_pkey,
  add constraint target_transfer_options_pkey primary key (tenant_id, target_id);
alter table target_visibility drop constraint target_visibility_pkey,
  add constraint target_visibility_pkey primary key (tenant_id, target_id, principal_type, principal_id);
alter table credentials drop constraint credentials_pkey, add constraint credentials_pkey primary key (tenant_id, id);
alter table transfers drop constraint transfers_pkey, add constraint transfers_pkey primary key (tenant_id, id);
alter table transfer_files drop constraint transfer_files_pkey,
  add constraint transfer_files_pkey primary key (tenant_id, transfer_id, part_key);
alter table licence_assignments drop constraint licence_assignments_pkey,
  add constraint licence_assignments_pkey primary key (tenant_id, user_id, module);
alter table teams drop constraint teams_pkey, add constraint teams_pkey primary key (tenant_id, id);
alter table team_members drop constraint team_members_pkey,
  add constraint team_members_pkey primary key (tenant_id, team_id, principal_type, principal_id);
alter table team_categories drop constraint team_categories_pkey,
  add constraint team_categories_pkey primary key (tenant_id, team_id, category_id);
-- The (tenant_id, id) key that 1100 added for the copies is the primary key now.
alter table team_mails drop constraint team_mails_tenant_id_id_key, drop constraint team_mails_pkey,
  add constraint team_mails_pkey primary key (tenant_id, id);
alter table team_mail_categories drop constraint team_mail_categories_pkey,
  add constraint team_mail_categories_pkey primary key (tenant_id, team_mail_id, category_id);
alter table team_notes drop constraint team_notes_pkey, add constraint team_notes_pkey primary key (tenant_id, id);
alter table team_mentions drop constraint team_mentions_pkey,
  add constraint team_mentions_pkey primary key (tenant_id, note_id, user_id);
alter table team_presence drop constraint team_presence_pkey,
  add constraint team_presence_pkey primary key (tenant_id, team_mail_id, user_id);
alter table team_activity drop constraint team_activity_pkey, add constraint team_activity_pkey primary key (tenant_id, id);
alter table outlook_subscriptions drop constraint outlook_subscriptions_pkey,
  add constraint outlook_subscriptions_pkey primary key (tenant_id, id);
alter table microsoft_artefacts drop constraint microsoft_artefacts_pkey,
  add constraint microsoft_artefacts_pkey primary key (tenant_id, id);

-- 3. The foreign keys again, each through tenant_id, with the same names and the same delete rules.
alter table licence_assignments add constraint licence_assignments_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table targets add constraint targets_category_id_fkey
  foreign key (tenant_id, category_id) references categories (tenant_id, id) on delete set null (category_id);
alter table transfers add constraint transfers_created_by_fkey
  foreign key (tenant_id, created_by) references users (tenant_id, id) on delete set null (created_by);
alter table transfers add constraint transfers_target_id_fkey
  foreign key (tenant_id, target_id) references targets (tenant_id, id) on delete restrict;
alter table transfer_files add constraint transfer_files_transfer_id_fkey
  foreign key (tenant_id, transfer_id) references transfers (tenant_id, id) on delete cascade;
-- An operator's session has no tenant: with tenant_id null the key is not checked, as before with
-- user_id null.
alter table web_sessions add constraint web_sessions_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table target_visibility add constraint target_visibility_target_id_fkey
  foreign key (tenant_id, target_id) references targets (tenant_id, id) on delete cascade;
alter table credentials add constraint credentials_target_id_fkey
  foreign key (tenant_id, target_id) references targets (tenant_id, id) on delete cascade;
alter table credentials add constraint credentials_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table processing_objections add constraint processing_objections_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table team_members add constraint team_members_team_id_fkey
  foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade;
alter table team_categories add constraint team_categories_category_id_fkey
  foreign key (tenant_id, category_id) references categories (tenant_id, id) on delete cascade;
alter table team_categories add constraint team_categories_team_id_fkey
  foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade;
alter table team_mails add constraint team_mails_assignee_user_id_fkey
  foreign key (tenant_id, assignee_user_id) references users (tenant_id, id) on delete set null (assignee_user_id);
alter table team_mails add constraint team_mails_team_id_fkey
  foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade;
alter table team_mail_categories add constraint team_mail_categories_category_id_fkey
  foreign key (tenant_id, category_id) references categories (tenant_id, id) on delete cascade;
alter table team_mail_categories add constraint team_mail_categories_team_mail_id_fkey
  foreign key (tenant_id, team_mail_id) references team_mails (tenant_id, id) on delete cascade;
alter table team_mail_copies add constraint team_mail_copies_tenant_id_team_mail_id_fkey
  foreign key (tenant_id, team_mail_id) references team_mails (tenant_id, id) on delete cascade;
alter table team_notes add constraint team_notes_author_user_id_fkey
  foreign key (tenant_id, author_user_id) references users (tenant_id, id) on delete set null (author_user_id);
alter table team_notes add constraint team_notes_team_mail_id_fkey
  foreign key (tenant_id, team_mail_id) references team_mails (tenant_id, id) on delete cascade;
alter table team_mentions add constraint team_mentions_note_id_fkey
  foreign key (tenant_id, note_id) references team_notes (tenant_id, id) on delete cascade;
alter table team_mentions add constraint team_mentions_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table team_activity add constraint team_activity_actor_user_id_fkey
  foreign key (tenant_id, actor_user_id) references users (tenant_id, id) on delete set null (actor_user_id);
alter table team_activity add constraint team_activity_team_mail_id_fkey
  foreign key (tenant_id, team_mail_id) references team_mails (tenant_id, id) on delete cascade;
alter table team_presence add constraint team_presence_team_mail_id_fkey
  foreign key (tenant_id, team_mail_id) references team_mails (tenant_id, id) on delete cascade;
alter table team_presence add constraint team_presence_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table transfer_preferences add constraint transfer_preferences_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;
alter table target_transfer_options add constraint target_transfer_options_target_id_fkey
  foreign key (tenant_id, target_id) references targets (tenant_id, id) on delete cascade;
alter table delegated_grants add constraint delegated_grants_user_id_fkey
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade;

-- 4. What the previous release's `on conflict` clauses match; dropped by the contract release.
create unique index target_transfer_options_before_1320 on target_transfer_options (target_id);
create unique index transfer_files_before_1320 on transfer_files (transfer_id, part_key);
create unique index team_presence_before_1320 on team_presence (team_mail_id, user_id);

-- 5. Earlier transfers of one mail to one target, newest first, are read at every transfer (the
-- duplicate check): in time order, so the newest twenty are read without sorting all of them. Not
-- ending in id: with id in it, the planner took this index for a look-up by (tenant_id, id) while
-- its statistics were young, and read the tenant's every transfer.
drop index transfers_by_identity;
create index transfers_by_identity on transfers (tenant_id, target_id, mail_identity, created_at desc);

-- 6. A transfer's files are found by (tenant_id, transfer_id), the primary key's start now. The index on
-- tenant_id alone only tempted the planner, while its statistics lagged behind a fast-growing table,
-- to read every file of the tenant beside the key (a soak's duplicate checks got slower by the minute).
drop index transfer_files_tenant;
