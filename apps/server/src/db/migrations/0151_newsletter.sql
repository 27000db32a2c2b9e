-- Newsletter with double opt-in. A subscriber row holds the e-mail address and the proof of consent
-- only (which wording in which language, when, from which truncated network; the same for the
-- confirmation). Pending rows go 7 days after sign-up; unsubscribing deletes the row.
-- Not tenant-owned: row-level security without a policy keeps the tenant role out.

create table newsletter_subscribers (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (length(email) between 3 and 320),
  status text not null check (status in ('pending', 'confirmed')),
  consent_version text not null check (length(consent_version) <= 32),
  consent_language text not null check (consent_language in ('en', 'de')),
  signed_up_at timestamptz not null,
  signup_ip_truncated text not null check (length(signup_ip_truncated) <= 64),
  confirmed_at timestamptz,
  confirm_ip_truncated text check (length(confirm_ip_truncated) <= 64),
  check ((status = 'confirmed') = (confirmed_at is not null and confirm_ip_truncated is not null))
);
create index newsletter_subscribers_pending on newsletter_subscribers (signed_up_at) where status = 'pending';
alter table newsletter_subscribers enable row level security;

-- A campaign the operator sends to the confirmed subscribers, through the job queue. Progress is a
-- cursor over subscriber ids (sent to everyone up to it), so no per-person delivery record exists.
create table newsletter_campaigns (
  id uuid primary key default gen_random_uuid(),
  subject text not null check (length(subject) between 1 and 200),
  body_text text not null check (length(body_text) between 1 and 50000),
  created_at timestamptz not null,
  state text not null default 'queued' check (state in ('queued', 'sending', 'sent')),
  recipients integer not null default 0 check (recipients >= 0),
  sent_count integer not null default 0 check (sent_count >= 0),
  cursor_subscriber_id uuid,
  finished_at timestamptz
);
alter table newsletter_campaigns enable row level security;
