-- What the Outlook mirror last knew of each mailbox's copy of a team mail: which of the team's
-- categories were on it (issue 9 item 5, decision 127). A notification for a copy then applies only
-- what changed on that copy since — an echo of our own write, or an out-of-date copy that was merely
-- read or flagged, changes nothing in the team state. Removed with the team mail.
create table team_mail_copies (
  tenant_id uuid not null references tenants (id) on delete cascade,
  team_mail_id uuid not null references team_mails (id) on delete cascade,
  -- Entra object id of the mailbox holding the copy (a member's or a shared mailbox).
  mailbox_object_id uuid not null,
  category_ids uuid[] not null,
  updated_at timestamptz not null,
  primary key (team_mail_id, mailbox_object_id)
);
create index team_mail_copies_by_tenant on team_mail_copies (tenant_id);

alter table team_mail_copies enable row level security;
create policy tenant_isolation on team_mail_copies
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
