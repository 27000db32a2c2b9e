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
  issuedAt: z.iso.datetime(),
  tenantName: z.string().nullable(),
  buyerName: z.string(),
  buyerCountry: z.string(),
  netCents: z.number().int(),
  taxCents: z.number().int(),
  grossCents: z.number().int(),
  taxTreatment: z.enum(['standard', 'reverse_charge', 'outside_eu']),
  paidAt: z.iso.datetime().nullable(),
});
export type OperatorInvoice = z.infer<typeof operatorInvoiceSchema>;

export const operatorInvoicesQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2999).optional(),
});
export const operatorInvoicesSchema = z.object({ invoices: z.array(operatorInvoiceSchema) });
export type OperatorInvoices = z.infer<typeof operatorInvoicesSchema>;
