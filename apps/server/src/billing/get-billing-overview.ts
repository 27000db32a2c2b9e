import type { BankTransferDetails } from '../config/accounting.config.js';
import type { Queryable } from '../db/database.js';

export interface BillingOverview {
  /** A payment provider is configured and the account is ready to buy (tenant, company data). */
  canBuy: boolean;
  /** The account to transfer to when paying on invoice; null: pay on invoice is not offered. */
  bankTransfer: BankTransferDetails | null;
  paid: {
    collectionMethod: 'charge_automatically' | 'send_invoice';
    plan: string;
    interval: 'month' | 'year';
    seats: number;
    state: string;
    cancelAtPeriodEnd: boolean;
    pastDueSince: Date | null;
    periodEnd: Date;
  } | null;
  invoices: Array<{
    id: string;
    number: string;
    kind: 'invoice' | 'credit_note';
    /** For a credit note: the invoice it corrects. */
    correctsNumber: string | null;
    issuedAt: Date;
    grossCents: number;
    paid: boolean;
    /** An unpaid invoice paid by bank transfer: when it is due. */
    dueAt: Date | null;
  }>;
}

/** What the registration portal shows of buying, the paid subscription and the account's invoices. */
export async function getBillingOverview(
  db: Queryable,
  accountId: string,
  providerConfigured: boolean,
  bankTransfer: BankTransferDetails | null = null,
): Promise<BillingOverview> {
  const account = await db.query<{ tenant_id: string | null; has_company: boolean }>(
    'select tenant_id, company_name is not null as has_company from registration_accounts where id = $1',
    [accountId],
  );
  const row = account.rows[0];
  const subscription = row?.tenant_id
    ? (
        await db.query<{
          plan: string;
          billing_interval: 'month' | 'year' | null;
          seats_team: number;
          seats_transfer: number;
          state: string;
          cancel_at_period_end: boolean;
          past_due_since: Date | null;
          period_end: Date;
          provider_subscription_id: string | null;
          account_id: string | null;
          collection_method: 'charge_automatically' | 'send_invoice';
        }>(
          `select plan, billing_interval, seats_team, seats_transfer, state, cancel_at_period_end, past_due_since,
                  period_end, provider_subscription_id, account_id, collection_method
             from subscriptions where tenant_id = $1`,
          [row.tenant_id],
        )
      ).rows[0]
    : undefined;
  const ownPaid =
    subscription?.provider_subscription_id &&
    subscription.account_id === accountId &&
    subscription.state !== 'cancelled'
      ? subscription
      : null;
  const heldByOther =
    subscription && subscription.account_id !== accountId && subscription.state !== 'cancelled';
  const invoices = await db.query<{
    id: string;
    number: string;
    kind: 'invoice' | 'credit_note';
    corrects_number: string | null;
    issued_at: Date;
    gross_cents: string;
    paid_at: Date | null;
    due_at: Date | null;
  }>(
    `select i.id, i.number, i.kind, c.number as corrects_number, i.issued_at, i.gross_cents, i.paid_at, i.due_at
       from invoices i left join invoices c on c.id = i.corrects_invoice_id
      where i.account_id = $1 order by i.issued_at desc, i.number desc`,
    [accountId],
  );
  return {
    canBuy: providerConfigured && !!row?.tenant_id && !!row.has_company && !ownPaid && !heldByOther,
    bankTransfer: providerConfigured ? bankTransfer : null,
    paid: ownPaid
      ? {
          collectionMethod: ownPaid.collection_method,
          plan: ownPaid.plan,
          interval: ownPaid.billing_interval ?? 'month',
          seats: Math.max(ownPaid.seats_team, ownPaid.seats_transfer),
          state: ownPaid.state,
          cancelAtPeriodEnd: ownPaid.cancel_at_period_end,
          pastDueSince: ownPaid.past_due_since,
          periodEnd: ownPaid.period_end,
        }
      : null,
    invoices: invoices.rows.map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      kind: invoice.kind,
      correctsNumber: invoice.corrects_number,
      issuedAt: invoice.issued_at,
      grossCents: Number(invoice.gross_cents),
      paid: invoice.paid_at !== null,
      dueAt: invoice.paid_at === null ? invoice.due_at : null,
    })),
  };
}
