import type { Queryable } from '../db/database.js';
import { dataInventory, type LocalisedText, subjectInventory } from '../privacy/data-inventory.js';
import { quoted, type SubjectQuery, subjectCondition, tablesKeyedBy } from './subject-query.js';

export interface ExportedColumn {
  name: string;
  /** What the column holds, from the inventory; absent for columns that are not personal data. */
  what?: LocalisedText;
  why?: LocalisedText;
  retention?: LocalisedText;
}

export interface ExportedTable {
  table: string;
  columns: ExportedColumn[];
  rows: Record<string, unknown>[];
}

export interface HeldExport {
  table: string;
  heldAt: string;
  holdUntil: string;
  reason: LocalisedText;
  data: Record<string, unknown>;
}

export interface SubjectExport {
  generatedAt: string;
  subject: SubjectQuery;
  tables: ExportedTable[];
  held: HeldExport[];
  /** Tables with personal data that cannot be tied to one person, and why. */
  notAttributable: { table: string; reason: LocalisedText }[];
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/**
 * Everything the database holds about one subject (Art. 15 and 20 GDPR), generated from the data
 * inventory: every table keyed by the subject's key, with every declared column (what it is, why,
 * how long), plus what a legal hold keeps. A table or column declared later is included as it is.
 */
export async function exportSubjectData(
  db: Queryable,
  query: SubjectQuery,
  now: Date,
): Promise<SubjectExport> {
  const tables: ExportedTable[] = [];
  for (const table of tablesKeyedBy(query)) {
    const declared = dataInventory[table] ?? {};
    const omitted = new Set(subjectInventory[table]?.omitFromExport ?? []);
    const columns = Object.keys(declared).filter((column) => !omitted.has(column));
    const params: unknown[] = [];
    const condition = subjectCondition(table, query, params);
    if (!condition || columns.length === 0) continue;
    const result = await db.query<Record<string, unknown>>(
      `select ${columns.map((column) => `${quoted(table)}.${quoted(column)}`).join(', ')}
         from ${quoted(table)} where ${condition}`,
      params,
    );
    tables.push({
      table,
      columns: columns.map((name) => {
        const declaration = declared[name];
        return declaration?.personal
          ? { name, what: declaration.what, why: declaration.why, retention: declaration.retention }
          : { name };
      }),
      rows: result.rows.map((row) =>
        Object.fromEntries(columns.map((column) => [column, plain(row[column])])),
      ),
    });
  }
  const heldParams: unknown[] = [query.by, query.by === 'email' ? query.value.toLowerCase() : query.value];
  let tenantFilter = '';
  if (query.tenantId && query.by !== 'tenantId') {
    heldParams.push(query.tenantId);
    tenantFilter = ` and tenant_id::text = $3`;
  }
  const held = await db.query<{
    source_table: string;
    held_at: Date;
    hold_until: Date;
    reason_en: string;
    reason_de: string;
    data: Record<string, unknown>;
  }>(
    `select source_table, held_at, hold_until, reason_en, reason_de, data from held_records
      where ${query.by === 'tenantId' ? 'tenant_id::text = $2 and $1::text is not null' : 'subject_keys ->> $1 = $2'}${tenantFilter}
      order by held_at`,
    heldParams,
  );
  return {
    generatedAt: now.toISOString(),
    subject: query,
    tables,
    held: held.rows.map((row) => ({
      table: row.source_table,
      heldAt: new Date(row.held_at).toISOString(),
      holdUntil: new Date(row.hold_until).toISOString(),
      reason: { en: row.reason_en, de: row.reason_de },
      data: row.data,
    })),
    notAttributable: Object.entries(subjectInventory).flatMap(([table, subjects]) =>
      subjects.notAttributable ? [{ table, reason: subjects.notAttributable }] : [],
    ),
  };
}
