import { z } from 'zod';

/** The operator console's billing views: `/operator/api/billing/subscriptions`, `…/invoices`. */

export const operatorSubscriptionSchema = z.object({
  tenantId: z.uuid(),
  tenantName: z.string(),
  accountEmail: z.string().nullable(),
  companyName: z.string().nullable(),
  plan: z.enum(['trial', 'team', 'transfer', 'suite']),
  state: z.enum(['trial', 'active', 'past_due', 'suspended', 'cancelled', 'expired']),
  interval: z.enum(['month', 'year']).nullable(),
  seats: z.number().int(),
  paid: z.boolean(),
  /** Paid subscriptions: charged by the provider (card, SEPA), or on invoice by bank transfer. */
  collectionMethod: z.enum(['charge_automatically', 'send_invoice']),
  cancelAtPeriodEnd: z.boolean(),
  periodEnd: z.iso.datetime(),
  pastDueSince: z.iso.datetime().nullable(),
});
export type OperatorSubscription = z.infer<typeof operatorSubscriptionSchema>;

export const operatorSubscriptionsSchema = z.object({ subscriptions: z.array(operatorSubscriptionSchema) });
export type OperatorSubscriptions = z.infer<typeof operatorSubscriptionsSchema>;

export const operatorInvoiceSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  kind: z.enum(['invoice', 'credit_note']),
  /** For a credit note: the number of the invoice it corrects, and why. */
  correctsNumber: z.string().nullable(),
  reason: z.string().nullable(),
  /** Net not yet credited (invoices only; 0 for credit notes). */
  creditableNetCents: z.number().int(),
  issuedAt: z.iso.datetime(),
  tenantName: z.string().nullable(),
  buyerName: z.string(),
  buyerCountry: z.string(),
  netCents: z.number().int(),
  taxCents: z.number().int(),
  grossCents: z.number().int(),
  taxTreatment: z.enum(['standard', 'reverse_charge', 'outside_eu']),
  paidAt: z.iso.datetime().nullable(),
  /** How it was paid (invoices) or refunded (credit notes); null while open or when not known. */
  paymentMethod: z.enum(['card', 'sepa_debit', 'bank_transfer']).nullable(),
  /** Paid on invoice by bank transfer and still open: when it is due. */
  dueAt: z.iso.datetime().nullable(),
  /** What credit notes on it gave back so far (gross; invoices only). */
  creditedGrossCents: z.number().int(),
});
export type OperatorInvoice = z.infer<typeof operatorInvoiceSchema>;

export const operatorInvoicesQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2999).optional(),
});
export const operatorInvoicesSchema = z.object({ invoices: z.array(operatorInvoiceSchema) });
export type OperatorInvoices = z.infer<typeof operatorInvoicesSchema>;

/** `POST /operator/api/billing/invoices/{id}/credit-notes`: a refund or correction of an invoice. */
export const createCreditNoteSchema = z.object({
  reason: z.string().trim().min(1).max(500),
  /** Net amount to credit, in cents; without it, everything not yet credited. */
  netCents: z.number().int().min(1).max(100_000_000).optional(),
});
export type CreateCreditNote = z.infer<typeof createCreditNoteSchema>;

/** `POST /operator/api/billing/subscriptions/{tenantId}/extend-trial`: more days of a free trial. */
export const extendTrialSchema = z.object({ days: z.number().int().min(1).max(30) });
export type ExtendTrial = z.infer<typeof extendTrialSchema>;

/** `GET /operator/api/billing/datev-export?from=…&to=…`: calendar days, both included. */
export const datevExportQuerySchema = z.object({ from: z.iso.date(), to: z.iso.date() });
export type DatevExportQuery = z.infer<typeof datevExportQuerySchema>;
