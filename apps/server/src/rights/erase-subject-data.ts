import type { Queryable } from '../db/database.js';
import { type LocalisedText, subjectInventory, type TableSubjects } from '../privacy/data-inventory.js';
import {
  columnsOf,
  matchingColumns,
  quoted,
  type SubjectQuery,
  subjectCondition,
  tablesKeyedBy,
} from './subject-query.js';

export interface ErasureOutcome {
  table: string;
  /** erased: deleted; held: moved to held_records; pseudonymised: kept with the person removed; kept: left in place. */
  action: 'erased' | 'held' | 'pseudonymised' | 'kept';
  rows: number;
  reason?: LocalisedText;
  holdUntil?: string;
}

const DAY_MS = 86_400_000;

const managedByOrganisation: LocalisedText = {
  en: 'Your Microsoft 365 account in a customer organisation: your organisation decides about it. Erase it yourself under “Your data” in the Mailissa add-in or portal, or ask your administrator',
  de: 'Ihr Microsoft-365-Konto in einer Kundenorganisation: Darüber entscheidet Ihre Organisation. Löschen Sie es selbst unter „Ihre Daten“ im Mailissa-Add-in oder -Portal, oder wenden Sie sich an Ihren Administrator',
};

/** Rows kept through a parent are erased with it (on delete cascade): they are counted first. */
function order(subjects: TableSubjects, query: SubjectQuery): number {
  if (subjects.parent && matchingColumns(subjects, query).length === 0) return 0;
  // A table keyed by its own id (users) is the owner others point at: it goes last.
  return matchingColumns(subjects, query).includes('id') ? 2 : 1;
}

async function count(tx: Queryable, table: string, condition: string, params: unknown[]): Promise<number> {
  const result = await tx.query<{ n: number }>(
    `select count(*)::int as n from ${quoted(table)} where ${condition}`,
    params,
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * Erases one subject's rows in every table the inventory keys by the subject (Art. 17 GDPR), in the
 * caller's transaction. What a legal hold requires is moved to `held_records` with its reason and end
 * date (`keep`), or has the person removed from it (`pseudonymise`); what the rights feature must keep
 * to prove its answer stays. Returns per table what happened, for the reply and the request's trail.
 */
export async function eraseSubjectData(
  tx: Queryable,
  query: SubjectQuery,
  options: {
    now: Date;
    requestId: string | null;
    channel: 'self_service' | 'website' | 'administrator' | 'operator';
  },
): Promise<ErasureOutcome[]> {
  const outcomes: ErasureOutcome[] = [];
  const tables = tablesKeyedBy(query)
    .map((table) => ({ table, subjects: subjectInventory[table] as TableSubjects }))
    .sort((a, b) => order(a.subjects, query) - order(b.subjects, query));
  for (const { table, subjects } of tables) {
    const params: unknown[] = [];
    const condition = subjectCondition(table, query, params);
    if (!condition) continue;
    const rows = await count(tx, table, condition, params);
    if (rows === 0) continue;
    if (subjects.exemptFromErasure) {
      outcomes.push({ table, action: 'kept', rows, reason: subjects.exemptFromErasure });
      continue;
    }
    if (subjects.erasedOnlyWithinTenant && options.channel === 'website') {
      outcomes.push({ table, action: 'kept', rows, reason: managedByOrganisation });
      continue;
    }
    if (order(subjects, query) === 0) {
      outcomes.push({ table, action: 'erased', rows });
      continue;
    }
    const hold = subjects.legalHold;
    if (hold?.mode === 'pseudonymise') {
      let changed = 0;
      for (const [matchColumn, assignments] of Object.entries(hold.pseudonymise ?? {})) {
        if (!matchingColumns(subjects, query).includes(matchColumn)) continue;
        const own: unknown[] = [];
        const single = subjectCondition(table, query, own, table, [matchColumn]);
        if (!single) continue;
        const sets = Object.entries(assignments).map(([column, value]) => {
          own.push(value);
          return `${quoted(column)} = $${own.length}`;
        });
        const updated = await tx.query(`update ${quoted(table)} set ${sets.join(', ')} where ${single}`, own);
        changed += updated.rowCount;
      }
      outcomes.push({ table, action: 'pseudonymised', rows: changed || rows, reason: hold.reason });
      continue;
    }
    if (hold?.mode === 'keep') {
      const holdUntil = new Date(options.now.getTime() + hold.holdDays * DAY_MS);
      const tenantColumn = columnsOf(subjects.keys?.tenantId)[0];
      const heldParams = [...params];
      const base = heldParams.length;
      heldParams.push(
        table,
        JSON.stringify({ [query.by]: query.by === 'email' ? query.value.toLowerCase() : query.value }),
        hold.reason.en,
        hold.reason.de,
        options.now,
        holdUntil,
        options.requestId,
      );
      const p = (index: number) => `$${base + index}`;
      const held = await tx.query(
        `insert into held_records (source_table, tenant_id, subject_keys, data, reason_en, reason_de,
                                   held_at, hold_until, request_id)
         select ${p(1)}, ${tenantColumn ? `${quoted(table)}.${quoted(tenantColumn)}` : 'null'}, ${p(2)}::jsonb,
                to_jsonb(${quoted(table)}.*), ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}::uuid
           from ${quoted(table)} where ${condition}${hold.appliesWhere ? ` and (${hold.appliesWhere})` : ''}`,
        heldParams,
      );
      await tx.query(`delete from ${quoted(table)} where ${condition}`, params);
      if (held.rowCount > 0) {
        outcomes.push({
          table,
          action: 'held',
          rows: held.rowCount,
          reason: hold.reason,
          holdUntil: holdUntil.toISOString(),
        });
      }
      if (rows > held.rowCount) outcomes.push({ table, action: 'erased', rows: rows - held.rowCount });
      continue;
    }
    const deleted = await tx.query(`delete from ${quoted(table)} where ${condition}`, params);
    outcomes.push({ table, action: 'erased', rows: deleted.rowCount });
  }
  return outcomes;
}
