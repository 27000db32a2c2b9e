import type { Queryable } from '../db/database.js';
import { DEMO_GROUP_IDS } from './emulators.js';

export const DEMO_TEAM = {
  name: 'Service Desk',
  /** All Staff (Engineering and Management nested, Anna, David): membership counts transitively. */
  groupId: DEMO_GROUP_IDS['all-staff'],
  groupName: 'All Staff',
  categories: [
    { en: 'Urgent', de: 'Dringend', color: 'preset0' },
    { en: 'Waiting for customer', de: 'Wartet auf Kunde', color: 'preset3' },
    { en: 'Invoice', de: 'Rechnung', color: 'preset4' },
  ],
} as const;

/**
 * The demo tenant's team for Mailissa Team: "Service Desk" (All Staff) with three Team categories,
 * so `npm start` shows Team at once. Idempotent like the targets' seed: what exists (same English
 * name) is left as the administrator changed it. Runs as the owner (demo seed), filtering by tenant.
 */
export async function seedDemoTeam(db: Queryable, tenantId: string): Promise<void> {
  for (const [position, category] of DEMO_TEAM.categories.entries()) {
    await db.query(
      `insert into categories (tenant_id, module, name_en, name_de, color, position)
       select $1, 'team', $2, $3, $4, $5
        where not exists (select 1 from categories where tenant_id = $1 and module = 'team' and name_en = $2)`,
      [tenantId, category.en, category.de, category.color, position],
    );
  }
  const created = await db.query<{ id: string }>(
    `insert into teams (tenant_id, name) select $1, $2
      where not exists (select 1 from teams where tenant_id = $1 and lower(name) = lower($2))
     returning id`,
    [tenantId, DEMO_TEAM.name],
  );
  const teamId = created.rows[0]?.id;
  if (!teamId) return;
  await db.query(
    `insert into team_members (tenant_id, team_id, principal_type, principal_id, display_name)
     values ($1, $2, 'group', $3, $4)`,
    [tenantId, teamId, DEMO_TEAM.groupId, DEMO_TEAM.groupName],
  );
  await db.query(
    `insert into team_categories (tenant_id, team_id, category_id)
     select $1, $2, id from categories where tenant_id = $1 and module = 'team' and name_en = any($3::text[])`,
    [tenantId, teamId, DEMO_TEAM.categories.map((c) => c.en)],
  );
}
