import type { NewsletterCampaign, NewsletterSubscriber } from '@mailissa/contracts';

export interface NewsletterSubscriberRow {
  id: string;
  email: string;
  status: 'pending' | 'confirmed';
  consent_version: string;
  consent_language: 'en' | 'de';
  signed_up_at: Date | string;
  signup_ip_truncated: string;
  confirmed_at: Date | string | null;
  confirm_ip_truncated: string | null;
}

export const SUBSCRIBER_COLUMNS =
  'id, email, status, consent_version, consent_language, signed_up_at, signup_ip_truncated, confirmed_at, confirm_ip_truncated';

export interface NewsletterCampaignRow {
  id: string;
  subject: string;
  body_text: string;
  created_at: Date | string;
  state: 'queued' | 'sending' | 'sent';
  recipients: number;
  sent_count: number;
  cursor_subscriber_id: string | null;
  finished_at: Date | string | null;
}

export const CAMPAIGN_COLUMNS =
  'id, subject, body_text, created_at, state, recipients, sent_count, cursor_subscriber_id, finished_at';

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

export function toNewsletterSubscriber(row: NewsletterSubscriberRow): NewsletterSubscriber {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    consent: {
      version: row.consent_version,
      language: row.consent_language,
      signedUpAt: iso(row.signed_up_at),
      signUpNetwork: row.signup_ip_truncated,
      confirmedAt: row.confirmed_at === null ? null : iso(row.confirmed_at),
      confirmationNetwork: row.confirm_ip_truncated,
    },
  };
}

export function toNewsletterCampaign(row: NewsletterCampaignRow): NewsletterCampaign {
  return {
    id: row.id,
    subject: row.subject,
    bodyText: row.body_text,
    createdAt: iso(row.created_at),
    state: row.state,
    recipients: Number(row.recipients),
    sentCount: Number(row.sent_count),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
  };
}
