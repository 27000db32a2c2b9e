import { AppError } from '../errors/app-error.js';
import { type SubjectKey, subjectInventory, type TableSubjects } from '../privacy/data-inventory.js';

/**
 * Whose data a request concerns: one key (a user id, an e-mail address, a tenant, a consent id) and,
 * for a tenant's user, the tenant, so only that tenant's rows match. Tables are matched through the
 * keys the data inventory declares (`subjectInventory`), never through code of their own.
 */
export interface SubjectQuery {
  by: SubjectKey;
  value: string;
  tenantId?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Inventory names are developer constants; the check keeps them from ever carrying anything else. */
export function quoted(identifier: string): string {
  if (!IDENTIFIER.test(identifier)) {
    throw new AppError(500, 'internal_error', `Not an identifier in the data inventory: ${identifier}`);
  }
  return `"${identifier}"`;
}

export function columnsOf(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The key columns of a table that a query matches on (none: the table is not keyed that way). */
export function matchingColumns(subjects: TableSubjects, query: SubjectQuery): string[] {
  return columnsOf(subjects.keys?.[query.by]);
}

/**
 * A SQL condition selecting `table`'s rows of the subject, appending its parameters to `params`;
 * null when the table holds no rows keyed that way. Through `parent`, a table's rows match when their
 * parent row does (a transfer's files).
 */
export function subjectCondition(
  table: string,
  query: SubjectQuery,
  params: unknown[],
  alias = table,
  /** Match on these key columns only (pseudonymising per column). */
  only?: readonly string[],
): string | null {
  const subjects = subjectInventory[table];
  if (!subjects) return null;
  const columns = matchingColumns(subjects, query).filter((column) => !only || only.includes(column));
  if (columns.length === 0) {
    if (!subjects.parent) return null;
    const { table: parentTable, column, references } = subjects.parent;
    const inner = subjectCondition(parentTable, query, params, `${parentTable}_parent`);
    if (!inner) return null;
    return `${quoted(alias)}.${quoted(column)} in (select ${quoted(`${parentTable}_parent`)}.${quoted(references)} from ${quoted(parentTable)} ${quoted(`${parentTable}_parent`)} where ${inner})`;
  }
  params.push(query.by === 'email' ? query.value.toLowerCase() : query.value);
  const placeholder = `$${params.length}`;
  const matches = columns.map((column) =>
    query.by === 'email'
      ? `lower(${quoted(alias)}.${quoted(column)}) = ${placeholder}`
      : `${quoted(alias)}.${quoted(column)}::text = ${placeholder}`,
  );
  let condition = `(${matches.join(' or ')})`;
  const tenantColumn = columnsOf(subjects.keys?.tenantId)[0];
  if (query.tenantId && query.by !== 'tenantId' && tenantColumn) {
    params.push(query.tenantId);
    condition += ` and ${quoted(alias)}.${quoted(tenantColumn)}::text = $${params.length}`;
  }
  return condition;
}

/** The tables keyed by this kind of subject, directly or through a parent, in a stable order. */
export function tablesKeyedBy(query: SubjectQuery): string[] {
  return Object.keys(subjectInventory)
    .filter((table) => subjectCondition(table, query, []) !== null)
    .sort();
}
