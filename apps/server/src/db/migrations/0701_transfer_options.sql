-- Transfer as filing tools do it (issue 10): what the user chose before sending, the mail's identity
-- for duplicates, keys for suggestions, live progress, cancel; per-user duplicate choice; per-target
-- transfer options (file name template, filed marker, column mapping).

alter table transfers drop constraint transfers_state_check;
alter table transfers add constraint transfers_state_check
  check (state in ('queued', 'running', 'done', 'failed', 'cancelled'));

-- { attachmentIds?, includeMail?, fileName?, subfolder?, replace? } as validated by the contract.
alter table transfers add column options jsonb not null default '{}'::jsonb;
-- sha256 of internetMessageId and a header fingerprint (sender, sent time, subject): mails that share
-- a Message-ID are still told apart (decision 071).
alter table transfers add column mail_identity text check (length(mail_identity) <= 64);
-- Keyed hashes, never the address or conversation itself: enough to rank targets (decision 073).
alter table transfers add column conversation_key text check (length(conversation_key) <= 64);
alter table transfers add column sender_key text check (length(sender_key) <= 64);
alter table transfers add column sender_domain_key text check (length(sender_domain_key) <= 64);
alter table transfers add column bytes_total bigint check (bytes_total >= 0);
alter table transfers add column bytes_done bigint not null default 0 check (bytes_done >= 0);
alter table transfers add column cancel_requested boolean not null default false;
create index transfers_by_identity on transfers (tenant_id, target_id, mail_identity);
create index transfers_by_user_time on transfers (tenant_id, created_by, created_at desc);

-- What a user chose to do, once and for all, when a mail went to the same target before.
create table transfer_preferences (
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  duplicate_choice text check (duplicate_choice in ('keep_both', 'replace', 'skip')),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
alter table transfer_preferences enable row level security;
create policy tenant_isolation on transfer_preferences
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Per target: how transferred files are named, the Outlook category that marks a filed mail, and
-- which mail fields fill which library columns.
create table target_transfer_options (
  tenant_id uuid not null references tenants (id) on delete cascade,
  target_id uuid primary key references targets (id) on delete cascade,
  file_name_template text not null default '{date} {time} {subject}' check (length(file_name_template) between 1 and 200),
  filed_category text check (length(filed_category) between 1 and 255),
  filed_color text check (filed_color ~ '^preset([0-9]|1[0-9]|2[0-4])$'),
  column_mapping jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);
create index target_transfer_options_by_tenant on target_transfer_options (tenant_id);
alter table target_transfer_options enable row level security;
create policy tenant_isolation on target_transfer_options
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
