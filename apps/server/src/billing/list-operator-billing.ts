import type { OperatorInvoice, OperatorSubscription } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';

/** Every tenant's subscription for the operator, overdue ones first. */
export async function listOperatorSubscriptions(db: Queryable): Promise<OperatorSubscription[]> {
  const found = await db.query<{
    tenant_id: string;
    tenant_name: string;
    email: string | null;
    company_name: string | null;
    plan: OperatorSubscription['plan'];
    state: OperatorSubscription['state'];
    billing_interval: 'month' | 'year' | null;
    seats_team: number;
    seats_transfer: number;
    provider_subscription_id: string | null;
    cancel_at_period_end: boolean;
    period_end: Date;
    past_due_since: Date | null;
    collection_method: OperatorSubscription['collectionMethod'];
  }>(
    `select s.tenant_id, t.name as tenant_name, a.email, a.company_name, s.plan, s.state, s.billing_interval,
            s.seats_team, s.seats_transfer, s.provider_subscription_id, s.cancel_at_period_end, s.period_end,
            s.past_due_since, s.collection_method
       from subscriptions s join tenants t on t.id = s.tenant_id
       left join registration_accounts a on a.id = s.account_id
      order by (s.state in ('past_due', 'suspended')) desc, s.past_due_since nulls last, t.name
      limit 1000`,
  );
  return found.rows.map((row) => ({
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    accountEmail: row.email,
    companyName: row.company_name,
    plan: row.plan,
    state: row.state,
    interval: row.billing_interval,
    seats: Math.max(row.seats_team, row.seats_transfer),
    paid: row.provider_subscription_id !== null,
    collectionMethod: row.collection_method,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    periodEnd: row.period_end.toISOString(),
    pastDueSince: row.past_due_since?.toISOString() ?? null,
  }));
}

/** The invoices and credit notes issued (of one year, or all), newest first. */
export async function listOperatorInvoices(
  db: Queryable,
  filter: { year?: number | undefined; id?: string },
): Promise<OperatorInvoice[]> {
  const found = await db.query<{
    id: string;
    number: string;
    kind: OperatorInvoice['kind'];
    corrects_number: string | null;
    reason: string | null;
    credited_net: string;
    issued_at: Date;
    tenant_name: string | null;
    buyer: { name: string; country: string };
    net_cents: string;
    tax_cents: string;
    gross_cents: string;
    tax_treatment: OperatorInvoice['taxTreatment'];
    paid_at: Date | null;
    payment_method: OperatorInvoice['paymentMethod'];
    due_at: Date | null;
    credited_gross: string;
  }>(
    `select i.id, i.number, i.kind, c.number as corrects_number, i.reason, i.issued_at, t.name as tenant_name,
            i.buyer, i.net_cents, i.tax_cents, i.gross_cents, i.tax_treatment, i.paid_at, i.payment_method, i.due_at,
            (select coalesce(sum(n.net_cents), 0) from invoices n where n.corrects_invoice_id = i.id) as credited_net,
            (select coalesce(sum(n.gross_cents), 0) from invoices n where n.corrects_invoice_id = i.id) as credited_gross
       from invoices i left join tenants t on t.id = i.tenant_id
       left join invoices c on c.id = i.corrects_invoice_id
      where ($1::int is null or i.year = $1) and ($2::uuid is null or i.id = $2)
      order by i.issued_at desc, i.number desc
      limit 2000`,
    [filter.year ?? null, filter.id ?? null],
  );
  return found.rows.map((row) => ({
    id: row.id,
    number: row.number,
    kind: row.kind,
    correctsNumber: row.corrects_number,
    reason: row.reason,
    creditableNetCents:
      row.kind === 'invoice' ? Math.max(0, Number(row.net_cents) - Number(row.credited_net)) : 0,
    issuedAt: row.issued_at.toISOString(),
    tenantName: row.tenant_name,
    buyerName: row.buyer.name,
    buyerCountry: row.buyer.country,
    netCents: Number(row.net_cents),
    taxCents: Number(row.tax_cents),
    grossCents: Number(row.gross_cents),
    taxTreatment: row.tax_treatment,
    paidAt: row.paid_at?.toISOString() ?? null,
    paymentMethod: row.payment_method,
    dueAt: row.paid_at === null ? (row.due_at?.toISOString() ?? null) : null,
    creditedGrossCents: Number(row.credited_gross),
  }));
}
