import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';
import { columnsOf } from './subject-query.js';

/**
 * What is wrong with the subject declarations, as readable lines (empty when all is well): a table
 * missing from them, a table with personal columns that names neither a key, a parent nor why it
 * cannot be attributed, and key or hold columns the inventory does not declare.
 */
export function checkSubjectDeclarations(
  inventory: Record<string, TableDeclaration>,
  subjects: Record<string, TableSubjects>,
): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(inventory)) {
    const declared = subjects[table];
    if (!declared) {
      problems.push(`${table}: no subject declaration (add it beside the table's inventory)`);
      continue;
    }
    const hasPersonal = Object.values(columns).some((column) => column.personal);
    const keys = Object.values(declared.keys ?? {}).flatMap((value) => columnsOf(value));
    if (hasPersonal && keys.length === 0 && !declared.parent && !declared.notAttributable) {
      problems.push(
        `${table}: has personal columns but declares no subject key and no notAttributable reason`,
      );
    }
    const named = [
      ...keys,
      ...(declared.parent ? [declared.parent.column] : []),
      ...Object.entries(declared.legalHold?.pseudonymise ?? {}).flatMap(([match, sets]) => [
        match,
        ...Object.keys(sets),
      ]),
      ...(declared.omitFromExport ?? []),
    ];
    for (const column of named) {
      if (!(column in columns))
        problems.push(`${table}.${column}: named in the subject declaration but not a declared column`);
    }
    if (declared.parent && !inventory[declared.parent.table]) {
      problems.push(`${table}: parent table ${declared.parent.table} is not in the inventory`);
    }
  }
  for (const table of Object.keys(subjects)) {
    if (!inventory[table])
      problems.push(`${table}: subject declaration for a table the inventory does not have`);
  }
  return problems;
}
