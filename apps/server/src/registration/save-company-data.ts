import type { Database } from '../db/database.js';
import type { CompanyData } from './company.schemas.js';

/** Stores the account's company data (all fields at once) and names its tenant after the company. */
export async function saveCompanyData(
  db: Database,
  accountId: string,
  data: CompanyData,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx.query<{ tenant_id: string | null }>(
      `update registration_accounts
          set company_name = $2, street = $3, postal_code = $4, city = $5, country = $6, vat_id = $7,
              invoice_email = $8, po_reference = $9, company_updated_at = $10
        where id = $1
        returning tenant_id`,
      [
        accountId,
        data.company_name,
        data.street,
        data.postal_code,
        data.city,
        data.country,
        data.vat_id,
        data.invoice_email,
        data.po_reference,
        now,
      ],
    );
    const tenantId = updated.rows[0]?.tenant_id;
    if (tenantId) await tx.query('update tenants set name = $2 where id = $1', [tenantId, data.company_name]);
  });
}
