import type { Queryable } from '../db/database.js';
import type { Lang } from '../website/i18n.js';
import type { CompanyData } from './company.schemas.js';
import { findSubscriptionHolder } from './subscription-holder.js';

export interface RegistrationOverview {
  email: string;
  fullName: string;
  language: Lang;
  company: CompanyData | null;
  tenant: {
    microsoftTenantId: string;
    name: string;
    consentGranted: boolean;
    /** A live subscription someone else holds (masked address), shown instead of starting a trial. */
    heldByOther: { maskedEmail: string | null } | null;
  } | null;
  subscription: {
    plan: string;
    /** As stored, except a trial past its end, which reads `expired`. */
    state: 'trial' | 'active' | 'past_due' | 'suspended' | 'cancelled' | 'expired';
    periodEnd: Date;
    seatsTeam: number;
    seatsTransfer: number;
  } | null;
}

interface AccountRow {
  email: string;
  full_name: string;
  language: Lang;
  tenant_id: string | null;
  microsoft_tenant_id: string | null;
  tenant_name: string | null;
  admin_consent_at: Date | null;
  company_name: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: CompanyData['country'] | null;
  vat_id: string | null;
  invoice_email: string | null;
  po_reference: string | null;
}

/** Everything the registration portal shows its signed-in account. */
export async function getRegistrationOverview(
  db: Queryable,
  accountId: string,
  now: Date,
): Promise<RegistrationOverview | null> {
  const found = await db.query<AccountRow>(
    `select a.email, a.full_name, a.language, a.tenant_id, t.microsoft_tenant_id, t.name as tenant_name,
            t.admin_consent_at, a.company_name, a.street, a.postal_code, a.city, a.country, a.vat_id,
            a.invoice_email, a.po_reference
       from registration_accounts a left join tenants t on t.id = a.tenant_id
      where a.id = $1`,
    [accountId],
  );
  const row = found.rows[0];
  if (!row) return null;
  const company =
    row.company_name && row.street && row.postal_code && row.city && row.country && row.invoice_email
      ? {
          company_name: row.company_name,
          street: row.street,
          postal_code: row.postal_code,
          city: row.city,
          country: row.country,
          vat_id: row.vat_id,
          invoice_email: row.invoice_email,
          po_reference: row.po_reference,
        }
      : null;
  let tenant: RegistrationOverview['tenant'] = null;
  let subscription: RegistrationOverview['subscription'] = null;
  if (row.tenant_id && row.microsoft_tenant_id) {
    const holder = await findSubscriptionHolder(db, row.tenant_id, now);
    tenant = {
      microsoftTenantId: row.microsoft_tenant_id,
      name: row.tenant_name ?? '',
      consentGranted: row.admin_consent_at !== null,
      heldByOther:
        holder?.live && holder.accountId !== accountId ? { maskedEmail: holder.maskedEmail } : null,
    };
    const own = await db.query<{
      plan: string;
      state: NonNullable<RegistrationOverview['subscription']>['state'];
      period_end: Date;
      seats_team: number;
      seats_transfer: number;
    }>(
      `select plan, state, period_end, seats_team, seats_transfer from subscriptions
        where tenant_id = $1 and account_id = $2`,
      [row.tenant_id, accountId],
    );
    const sub = own.rows[0];
    if (sub) {
      subscription = {
        plan: sub.plan,
        state: sub.state === 'trial' && sub.period_end <= now ? 'expired' : sub.state,
        periodEnd: sub.period_end,
        seatsTeam: sub.seats_team,
        seatsTransfer: sub.seats_transfer,
      };
    }
  }
  return { email: row.email, fullName: row.full_name, language: row.language, company, tenant, subscription };
}
