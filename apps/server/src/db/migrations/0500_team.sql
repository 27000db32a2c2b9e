-- Mailissa Team (issue 9, decisions 050-052): teams of directory users and groups that share, per
-- mail, categories, an assignee, a status, notes, a history and presence. A mail is identified by
-- its internetMessageId together with a fingerprint of its headers (decision 050). The metadata kept
-- for the team list (subject, sender, received time) is never the body and is removed by the
-- retention job once no team state refers to the mail (team.jobs.ts).

create table teams (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 128),
  -- Optional shared mailbox the team works from (an SMTP address).
  shared_mailbox text check (length(shared_mailbox) between 3 and 320),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index teams_unique_name on teams (tenant_id, lower(name));

alter table teams enable row level security;
create policy tenant_isolation on teams
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Members: Entra users and groups (groups count transitively), by object id and display name.
create table team_members (
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  principal_type text not null check (principal_type in ('user', 'group')),
  principal_id uuid not null,
  display_name text not null check (length(display_name) <= 256),
  primary key (team_id, principal_type, principal_id)
);
create index team_members_by_tenant on team_members (tenant_id);

alter table team_members enable row level security;
create policy tenant_isolation on team_members
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The Team categories (categories of module 'team') a team uses.
create table team_categories (
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  category_id uuid not null references categories (id) on delete cascade,
  primary key (team_id, category_id)
);
create index team_categories_by_tenant on team_categories (tenant_id);

alter table team_categories enable row level security;
create policy tenant_isolation on team_categories
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- One row per (team, mail): the shared state and the list metadata (never the body).
create table team_mails (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  internet_message_id text not null check (length(internet_message_id) between 1 and 998),
  -- sha-256 (hex) of the normalised sender address and subject (decision 050).
  fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
  subject text not null check (length(subject) <= 998),
  sender_name text not null check (length(sender_name) <= 256),
  sender_address text not null check (length(sender_address) <= 320),
  received_at timestamptz,
  first_seen_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'pending', 'done')),
  assignee_user_id uuid references users (id) on delete set null,
  done_at timestamptz,
  updated_at timestamptz not null,
  unique (team_id, internet_message_id, fingerprint)
);
create index team_mails_by_team on team_mails (tenant_id, team_id, status, updated_at desc);
create index team_mails_done on team_mails (done_at) where done_at is not null;

alter table team_mails enable row level security;
create policy tenant_isolation on team_mails
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Categories on a team mail: a set, so concurrent additions and removals merge.
create table team_mail_categories (
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_mail_id uuid not null references team_mails (id) on delete cascade,
  category_id uuid not null references categories (id) on delete cascade,
  added_at timestamptz not null,
  primary key (team_mail_id, category_id)
);
create index team_mail_categories_by_tenant on team_mail_categories (tenant_id, category_id);

alter table team_mail_categories enable row level security;
create policy tenant_isolation on team_mail_categories
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Internal notes (plain text). `version` is the ETag: an edit names the version it replaces.
create table team_notes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_mail_id uuid not null references team_mails (id) on delete cascade,
  author_user_id uuid references users (id) on delete set null,
  body text not null check (length(body) between 1 and 4000),
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index team_notes_by_mail on team_notes (tenant_id, team_mail_id, created_at);

alter table team_notes enable row level security;
create policy tenant_isolation on team_notes
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Members a note mentions: the badge until they have seen it, the mail through a job.
create table team_mentions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  note_id uuid not null references team_notes (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  seen_at timestamptz,
  primary key (note_id, user_id)
);
create index team_mentions_unseen on team_mentions (tenant_id, user_id) where seen_at is null;

alter table team_mentions enable row level security;
create policy tenant_isolation on team_mentions
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Who changed what, when (the pane's history and the dashboard's durations).
create table team_activity (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_mail_id uuid not null references team_mails (id) on delete cascade,
  actor_user_id uuid references users (id) on delete set null,
  action text not null check (action in (
    'first_seen', 'category_added', 'category_removed', 'assigned', 'unassigned', 'status_changed',
    'note_added', 'note_edited')),
  -- A category id, a user id, a status or a note id; never note text.
  value text check (length(value) <= 64),
  at timestamptz not null
);
create index team_activity_by_mail on team_activity (tenant_id, team_mail_id, at);

alter table team_activity enable row level security;
create policy tenant_isolation on team_activity
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Presence: who has the mail open, refreshed by heartbeat; rows older than a minute mean nothing.
create table team_presence (
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_mail_id uuid not null references team_mails (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  seen_at timestamptz not null,
  primary key (team_mail_id, user_id)
);
create index team_presence_by_tenant on team_presence (tenant_id, seen_at);

alter table team_presence enable row level security;
create policy tenant_isolation on team_presence
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
