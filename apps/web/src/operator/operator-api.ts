import type {
  ConsentStatistics,
  ContactEnquiry,
  CreateCreditNote,
  DeleteEnquiryResponse,
  ExtendTrial,
  ListEnquiriesResponse,
  NewsletterCampaign,
  NewsletterOverview,
  OperatorInvoice,
  OperatorInvoices,
  OperatorSubscription,
  OperatorSubscriptions,
  RecordOfProcessing,
  RemoveSubscriberResponse,
  SecurityView,
} from '@mailissa/contracts';
import { apiFetch } from '../ui/api-client.js';
import { CSRF_HEADER } from '../ui/session-api.js';

/** The operator console's calls of /operator/api/…; shapes from the contract (packages/contracts). */
export type {
  ConsentStatistics,
  ContactEnquiry,
  NewsletterCampaign,
  NewsletterOverview,
  NewsletterSubscriber,
  RecordOfProcessing,
  SecurityView,
} from '@mailissa/contracts';

export const RECORD_JSON_URL = '/operator/api/record-of-processing?download=1';
export const RECORD_CSV_URL = '/operator/api/record-of-processing.csv';

export function fetchEnquiries(status: 'open' | 'closed'): Promise<ListEnquiriesResponse> {
  return apiFetch('/operator/api/enquiries', 'listEnquiriesResponseSchema', { query: { status } });
}

export function closeEnquiry(id: string): Promise<ContactEnquiry> {
  return apiFetch(`/operator/api/enquiries/${encodeURIComponent(id)}/close`, 'contactEnquirySchema', {
    method: 'POST',
    headers: CSRF_HEADER,
  });
}

export function deleteEnquiry(id: string): Promise<DeleteEnquiryResponse> {
  return apiFetch(`/operator/api/enquiries/${encodeURIComponent(id)}`, 'deleteEnquiryResponseSchema', {
    method: 'DELETE',
    headers: CSRF_HEADER,
  });
}

export function fetchNewsletter(): Promise<NewsletterOverview> {
  return apiFetch('/operator/api/newsletter/subscribers', 'newsletterOverviewSchema');
}

export function removeSubscriber(id: string): Promise<RemoveSubscriberResponse> {
  return apiFetch(
    `/operator/api/newsletter/subscribers/${encodeURIComponent(id)}`,
    'removeSubscriberResponseSchema',
    { method: 'DELETE', headers: CSRF_HEADER },
  );
}

export async function fetchCampaigns(): Promise<NewsletterCampaign[]> {
  return (await apiFetch('/operator/api/newsletter/campaigns', 'listCampaignsResponseSchema')).campaigns;
}

export function sendCampaign(subject: string, bodyText: string): Promise<NewsletterCampaign> {
  return apiFetch('/operator/api/newsletter/campaigns', 'newsletterCampaignSchema', {
    method: 'POST',
    body: { subject, bodyText },
    headers: CSRF_HEADER,
  });
}

export function fetchConsentStatistics(days: number): Promise<ConsentStatistics> {
  return apiFetch('/operator/api/consent-statistics', 'consentStatisticsSchema', { query: { days } });
}

export function fetchSecurityView(hours: number): Promise<SecurityView> {
  return apiFetch('/operator/api/security', 'securityViewSchema', { query: { hours } });
}

export function fetchRecordOfProcessing(): Promise<RecordOfProcessing> {
  return apiFetch('/operator/api/record-of-processing', 'recordOfProcessingSchema');
}

export function fetchBillingSubscriptions(): Promise<OperatorSubscriptions> {
  return apiFetch('/operator/api/billing/subscriptions', 'operatorSubscriptionsSchema');
}

export function fetchBillingInvoices(): Promise<OperatorInvoices> {
  return apiFetch('/operator/api/billing/invoices', 'operatorInvoicesSchema');
}

export function invoicePdfUrl(id: string): string {
  return `/operator/api/billing/invoices/${encodeURIComponent(id)}/pdf`;
}

export function createCreditNote(invoiceId: string, body: CreateCreditNote): Promise<OperatorInvoice> {
  return apiFetch(
    `/operator/api/billing/invoices/${encodeURIComponent(invoiceId)}/credit-notes`,
    'operatorInvoiceSchema',
    { method: 'POST', body, headers: CSRF_HEADER },
  );
}

export function markInvoicePaid(invoiceId: string): Promise<OperatorInvoice> {
  return apiFetch(
    `/operator/api/billing/invoices/${encodeURIComponent(invoiceId)}/mark-paid`,
    'operatorInvoiceSchema',
    { method: 'POST', headers: CSRF_HEADER },
  );
}

export function extendTrial(tenantId: string, body: ExtendTrial): Promise<OperatorSubscription> {
  return apiFetch(
    `/operator/api/billing/subscriptions/${encodeURIComponent(tenantId)}/extend-trial`,
    'operatorSubscriptionSchema',
    { method: 'POST', body, headers: CSRF_HEADER },
  );
}

/** The DATEV Buchungsstapel of the calendar days `from` to `to` (YYYY-MM-DD), as a download link. */
export function datevExportUrl(from: string, to: string): string {
  return `/operator/api/billing/datev-export?${new URLSearchParams({ from, to }).toString()}`;
}
