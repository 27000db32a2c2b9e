import type { Queryable } from '../db/database.js';
import { demoFixture } from './emulators.js';

export const DEMO_TARGETS = [
  {
    category: { en: 'Contracts', de: 'Verträge', color: 'preset7' },
    title: { en: 'Contracts 2026', de: 'Verträge 2026' },
    folderPath: demoFixture.drives.demo.folders.contracts,
  },
  {
    category: { en: 'Projects', de: 'Projekte', color: 'preset4' },
    title: { en: 'Project Alpha', de: 'Projekt Alpha' },
    folderPath: demoFixture.drives.demo.folders.projectAlpha,
  },
] as const;

/**
 * The demo tenant's categories and targets, pointing at folders of the emulator's demo drive.
 * Idempotent: a category or target that exists (same English name or title, also when deleted) is
 * left as it is, so an administrator's changes survive. Runs as the owner (demo seed), so it filters
 * by tenant itself.
 */
export async function seedDemoTargets(db: Queryable, tenantId: string): Promise<void> {
  for (const [position, target] of DEMO_TARGETS.entries()) {
    await db.query(
      `insert into categories (tenant_id, module, name_en, name_de, color, position)
       select $1, 'transfer', $2, $3, $4, $5
        where not exists (select 1 from categories where tenant_id = $1 and module = 'transfer' and name_en = $2)`,
      [tenantId, target.category.en, target.category.de, target.category.color, position],
    );
    await db.query(
      `insert into targets (tenant_id, connector_type, category_id, title_en, title_de, settings)
       select $1, 'sharepoint',
              (select id from categories where tenant_id = $1 and module = 'transfer' and name_en = $2 limit 1),
              $3, $4, $5::jsonb
        where not exists (select 1 from targets where tenant_id = $1 and title_en = $3)`,
      [
        tenantId,
        target.category.en,
        target.title.en,
        target.title.de,
        JSON.stringify({ driveId: demoFixture.drives.demo.driveId, folderPath: target.folderPath }),
      ],
    );
  }
}
