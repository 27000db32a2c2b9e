import type { Database } from '../db/database.js';
import { subjectInventory, type TableSubjects } from '../privacy/data-inventory.js';
import { releaseDeletedTenant } from '../registration/release-deleted-tenant.js';
import type { ArtefactRemoval } from './remove-microsoft-artefacts.js';
import { columnsOf, quoted } from './subject-query.js';

const DAY_MS = 86_400_000;

/**
 * The keys a held row is found by again: its tenant, and every other key the inventory declares for
 * the table (an invoice's buyer address), so the person's own export still lists what is held.
 */
function heldSubjectKeys(subjects: TableSubjects, tenantColumn: string): string {
  const pairs = [`'tenantId', t.${quoted(tenantColumn)}::text`];
  for (const [key, value] of Object.entries(subjects.keys ?? {})) {
    const keyColumn = columnsOf(value)[0];
    if (key === 'tenantId' || !keyColumn) continue;
    const read = `t.${quoted(keyColumn)}::text`;
    pairs.push(`'${key}', ${key === 'email' ? `lower(${read})` : read}`);
  }
  return `jsonb_strip_nulls(jsonb_build_object(${pairs.join(', ')}))`;
}

export interface TenantDeletion {
  rowsDeleted: Record<string, number>;
  rowsHeld: Record<string, number>;
}

/**
 * Deletes every tenant-owned row of one tenant (every table the inventory keys by tenant), except
 * what a legal hold keeps (moved to `held_records` first: invoices, once billing exists) and the
 * rights feature's proof of answered requests; then records the deletion for the operator. One
 * transaction: either the tenancy is gone and recorded, or nothing changed.
 */
export async function deleteTenantData(
  db: Database,
  tenantId: string,
  reason: 'customer_request' | 'subscription_ended',
  now: Date,
  /** What was removed in the tenant's Microsoft 365 before (remove-microsoft-artefacts.ts). */
  microsoftArtefacts: ArtefactRemoval | null = null,
): Promise<TenantDeletion> {
  return db.transaction(async (tx) => {
    const tenant = await tx.query<{ name: string }>('select name from tenants where id = $1', [tenantId]);
    const name = tenant.rows[0]?.name ?? '(unknown)';
    const rowsDeleted: Record<string, number> = {};
    const rowsHeld: Record<string, number> = {};
    const tables = Object.entries(subjectInventory).flatMap(([table, subjects]) => {
      const column = columnsOf(subjects.keys?.tenantId)[0];
      return column && !subjects.exemptFromErasure ? [{ table, column, subjects }] : [];
    });
    for (const { table, column, subjects } of tables) {
      const counted = await tx.query<{ n: number }>(
        `select count(*)::int as n from ${quoted(table)} where ${quoted(column)} = $1`,
        [tenantId],
      );
      const rows = counted.rows[0]?.n ?? 0;
      if (rows === 0) continue;
      const hold = subjects.legalHold;
      if (hold?.mode === 'keep') {
        // Typed once (uuid): a parameter used both as text and as uuid is refused by PostgreSQL.
        const held = await tx.query(
          `insert into held_records (source_table, tenant_id, subject_keys, data, reason_en, reason_de, held_at, hold_until)
           select $2, t.${quoted(column)}, ${heldSubjectKeys(subjects, column)}, to_jsonb(t.*), $3, $4, $5, $6
             from ${quoted(table)} t where t.${quoted(column)} = $1::uuid${hold.appliesWhere ? ` and (${hold.appliesWhere})` : ''}`,
          [
            tenantId,
            table,
            hold.reason.en,
            hold.reason.de,
            now,
            new Date(now.getTime() + hold.holdDays * DAY_MS),
          ],
        );
        if (held.rowCount > 0) rowsHeld[table] = held.rowCount;
      }
      rowsDeleted[table] = rows - (rowsHeld[table] ?? 0);
    }
    // The tenant row last: its foreign keys cascade; tables without one were counted above and go here.
    for (const { table, column } of tables.filter((entry) => entry.table !== 'tenants')) {
      await tx.query(`delete from ${quoted(table)} where ${quoted(column)} = $1`, [tenantId]);
    }
    await releaseDeletedTenant(tx, tenantId);
    await tx.query('delete from tenants where id = $1', [tenantId]);
    await tx.query(
      `insert into tenant_deletion_records
         (tenant_id, tenant_name, reason, deleted_at, rows_deleted, rows_held, microsoft_artefacts)
       values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb)`,
      [
        tenantId,
        name,
        reason,
        now,
        JSON.stringify(rowsDeleted),
        JSON.stringify(rowsHeld),
        microsoftArtefacts ? JSON.stringify(microsoftArtefacts) : null,
      ],
    );
    return { rowsDeleted, rowsHeld };
  });
}
