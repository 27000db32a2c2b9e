import { apiFetch } from '../ui/api-client.js';
import { CSRF_HEADER, type WebSession } from '../ui/session-api.js';

/** Shapes of /operator/api/… (see apps/server/src/operator/operator.routes.ts). */

/** Signing in and out: `ui/session-api.ts` with app 'operator'. */
export type OperatorSession = WebSession;

export interface ContactEnquiry {
  id: string;
  name: string;
  email: string;
  company: string | null;
  message: string;
  language: 'en' | 'de';
  receivedAt: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  operatorNotifiedAt: string | null;
  deleteAfter: string | null;
}

export interface NewsletterSubscriber {
  id: string;
  email: string;
  status: 'pending' | 'confirmed';
  consent: {
    version: string;
    language: 'en' | 'de';
    signedUpAt: string;
    signUpNetwork: string;
    confirmedAt: string | null;
    confirmationNetwork: string | null;
  };
}

export interface NewsletterOverview {
  subscribers: NewsletterSubscriber[];
  statistics: { pending: number; confirmed: number; campaigns: number };
  wordings: Record<string, { en: string; de: string }>;
}

export interface NewsletterCampaign {
  id: string;
  subject: string;
  bodyText: string;
  createdAt: string;
  state: 'queued' | 'sending' | 'sent';
  recipients: number;
  sentCount: number;
  finishedAt: string | null;
}

export interface ConsentStatistics {
  since: string;
  until: string;
  revisions: {
    policyRevision: string;
    choices: number;
    preferencesAccepted: number;
    statisticsAccepted: number;
    withGpc: number;
    rejectedAll: number;
  }[];
}

export interface SecurityView {
  since: string;
  topSources: {
    ipTruncated: string;
    ipHash: string;
    failures: number;
    firstAt: string;
    lastAt: string;
    paths: string[];
  }[];
  blocks: {
    ipTruncated: string;
    ipHash: string;
    reason: string;
    failures: number;
    blockedAt: string;
    blockedUntil: string;
  }[];
}

export interface RecordOfProcessing {
  generatedAt: string;
  activities: {
    id: string;
    name: string;
    purpose: string;
    legalBases: string[];
    dataCategories: { what: string; table: string; column: string }[];
    retention: string[];
  }[];
}

export const RECORD_JSON_URL = '/operator/api/record-of-processing?download=1';
export const RECORD_CSV_URL = '/operator/api/record-of-processing.csv';

export async function fetchEnquiries(
  status: 'open' | 'closed',
): Promise<{ enquiries: ContactEnquiry[]; retentionDays: number }> {
  return apiFetch('/operator/api/enquiries', { query: { status } });
}

export function closeEnquiry(id: string): Promise<ContactEnquiry> {
  return apiFetch(`/operator/api/enquiries/${encodeURIComponent(id)}/close`, {
    method: 'POST',
    headers: CSRF_HEADER,
  });
}

export function deleteEnquiry(id: string): Promise<{ outcome: string }> {
  return apiFetch(`/operator/api/enquiries/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: CSRF_HEADER,
  });
}

export function fetchNewsletter(): Promise<NewsletterOverview> {
  return apiFetch('/operator/api/newsletter/subscribers');
}

export function removeSubscriber(id: string): Promise<{ outcome: string }> {
  return apiFetch(`/operator/api/newsletter/subscribers/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: CSRF_HEADER,
  });
}

export async function fetchCampaigns(): Promise<NewsletterCampaign[]> {
  return (await apiFetch<{ campaigns: NewsletterCampaign[] }>('/operator/api/newsletter/campaigns'))
    .campaigns;
}

export function sendCampaign(subject: string, bodyText: string): Promise<NewsletterCampaign> {
  return apiFetch('/operator/api/newsletter/campaigns', {
    method: 'POST',
    body: { subject, bodyText },
    headers: CSRF_HEADER,
  });
}

export function fetchConsentStatistics(days: number): Promise<ConsentStatistics> {
  return apiFetch('/operator/api/consent-statistics', { query: { days } });
}

export function fetchSecurityView(hours: number): Promise<SecurityView> {
  return apiFetch('/operator/api/security', { query: { hours } });
}

export function fetchRecordOfProcessing(): Promise<RecordOfProcessing> {
  return apiFetch('/operator/api/record-of-processing');
}
