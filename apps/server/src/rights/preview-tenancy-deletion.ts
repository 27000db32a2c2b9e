import type { TenancyDeletionPreview } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { subjectInventory } from '../privacy/data-inventory.js';
import { columnsOf, quoted } from './subject-query.js';

/**
 * What the end of the tenancy would delete and keep, from the same inventory declarations the
 * deletion job walks (delete-tenant-data.ts), so the administrator is shown what will really happen:
 * the organisation's rows per table, the ones a legal hold keeps and why, and what Mailissa created
 * in its Microsoft 365. Must run inside withTenant().
 */
export async function previewTenancyDeletion(
  tx: Queryable,
  tenantId: string,
): Promise<TenancyDeletionPreview> {
  const tables: TenancyDeletionPreview['tables'] = [];
  for (const [table, subjects] of Object.entries(subjectInventory)) {
    const column = columnsOf(subjects.keys?.tenantId)[0];
    if (!column || subjects.exemptFromErasure) continue;
    const counted = await tx.query<{ n: number }>(
      `select count(*)::int as n from ${quoted(table)} where ${quoted(column)} = $1`,
      [tenantId],
    );
    const rows = counted.rows[0]?.n ?? 0;
    if (rows === 0) continue;
    const hold = subjects.legalHold?.mode === 'keep' ? subjects.legalHold.reason : undefined;
    tables.push({ table, rows, ...(hold ? { held: hold } : {}) });
  }
  const artefacts = await tx.query<{ kind: string; n: number }>(
    'select kind, count(*)::int as n from microsoft_artefacts where tenant_id = $1 group by kind',
    [tenantId],
  );
  const countOf = (kind: string) => artefacts.rows.find((row) => row.kind === kind)?.n ?? 0;
  return {
    tables: tables.sort((a, b) => a.table.localeCompare(b.table)),
    microsoftArtefacts: {
      masterCategories: countOf('master_category'),
      subscriptions: countOf('subscription'),
    },
  };
}
