import { randomUUID } from 'node:crypto';
import { createRegistrationSession, REGISTRATION_COOKIE } from '../registration/registration-sessions.js';
import type { TestClock, TestServer } from '../test-support/test-server.js';

/** A buyer with a confirmed registration account, a connected tenant and a signed-in session. */
export interface Buyer {
  accountId: string;
  tenantId: string;
  email: string;
  /** The `cookie` header of the buyer's registration portal session. */
  cookie: string;
}

/**
 * A buyer as the registration portal leaves one ready to buy: account confirmed, tenant connected
 * and consented, company data filled in (Berlin address; country and VAT id as given), signed in.
 * Written straight into the database, so billing tests start at the purchase.
 */
export async function newBuyer(
  server: TestServer,
  clock: TestClock,
  company: { country: string; vatId: string | null; name: string },
): Promise<Buyer> {
  const db = server.database.db;
  const email = `buyer-${randomUUID().slice(0, 8)}@example.com`;
  const tenant = await db.query<{ id: string }>(
    'insert into tenants (microsoft_tenant_id, name, admin_consent_at) values ($1, $2, now()) returning id',
    [randomUUID(), company.name],
  );
  const tenantId = tenant.rows[0]?.id ?? '';
  const account = await db.query<{ id: string }>(
    `insert into registration_accounts (email, full_name, language, created_at, email_confirmed_at, tenant_id,
        tenant_connected_at, company_name, street, postal_code, city, country, vat_id, invoice_email, company_updated_at)
     values ($1, 'Ada Buyer', 'en', $2, $2, $3, $2, $4, 'Main Street 1', '10115', 'Berlin', $5, $6, $1, $2)
     returning id`,
    [email, clock.now(), tenantId, company.name, company.country, company.vatId],
  );
  const accountId = account.rows[0]?.id ?? '';
  const session = await createRegistrationSession(db, accountId, clock.now());
  return { accountId, tenantId, email, cookie: `${REGISTRATION_COOKIE}=${session.token}` };
}
