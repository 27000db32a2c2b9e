import type { Queryable } from '../db/database.js';
import { demoFixture } from './emulators.js';

export const DEMO_TARGETS = [
  { category: 'Contracts', title: 'Contracts 2026', folderPath: demoFixture.drives.demo.folders.contracts },
  { category: 'Projects', title: 'Project Alpha', folderPath: demoFixture.drives.demo.folders.projectAlpha },
] as const;

/**
 * The demo tenant's targets, pointing at folders of the emulator's demo drive. Idempotent: a target
 * that exists (same category and title) is left as it is, so an administrator's changes survive.
 * Runs as the owner (demo seed), so it filters by tenant itself.
 */
export async function seedDemoTargets(db: Queryable, tenantId: string): Promise<void> {
  for (const target of DEMO_TARGETS) {
    await db.query(
      `insert into targets (tenant_id, connector_type, category, title, settings)
       values ($1, 'sharepoint', $2, $3, $4::jsonb)
       on conflict (tenant_id, category, title) do nothing`,
      [
        tenantId,
        target.category,
        target.title,
        JSON.stringify({ driveId: demoFixture.drives.demo.driveId, folderPath: target.folderPath }),
      ],
    );
  }
}
