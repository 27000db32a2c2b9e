import type { Database } from '../db/database.js';
import { demoFixture } from './emulators.js';

/**
 * Demo mode's customers: the emulator's two subscribed customer tenants, each with a running trial
 * and admin consent given (the third, Northwind, is left to register through /register). The trial
 * hands out licences on first sign-in while seats last (15 of the demo tenant's ~20 users get one,
 * so the "no licence" screen can be seen too). Idempotent: runs at every start in demo mode.
 */
export async function seedDemoTenants(db: Database): Promise<Record<'demo' | 'second', string>> {
  const tenants = [
    { key: 'demo' as const, ...demoFixture.tenants.demo, seats: 15 },
    { key: 'second' as const, ...demoFixture.tenants.second, seats: 5 },
  ];
  const ids = { demo: '', second: '' };
  for (const tenant of tenants) {
    ids[tenant.key] = await db.transaction(async (tx) => {
      const inserted = await tx.query<{ id: string }>(
        `insert into tenants (microsoft_tenant_id, name, admin_consent_at) values ($1, $2, now())
         on conflict (microsoft_tenant_id) do update set name = tenants.name
         returning id`,
        [tenant.microsoftTenantId, tenant.name],
      );
      const id = inserted.rows[0]?.id;
      if (!id) throw new Error(`seeding demo tenant ${tenant.name} returned no id`);
      await tx.query(
        `insert into subscriptions
           (tenant_id, plan, seats_team, seats_transfer, state, period_start, period_end, auto_assign_licences)
         values ($1, 'trial', $2, $2, 'trial', now(), now() + interval '30 days', true)
         on conflict (tenant_id) do update
           set period_end = greatest(subscriptions.period_end, now() + interval '30 days')
           where subscriptions.plan = 'trial'`,
        [id, tenant.seats],
      );
      return id;
    });
  }
  return ids;
}
