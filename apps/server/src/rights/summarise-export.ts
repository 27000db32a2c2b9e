import type { SubjectExport } from './export-subject-data.js';

/** What an export contained, for the request's result: tables and row counts, no data. */
export function summariseExport(data: SubjectExport): {
  exported: { table: string; rows: number }[];
  held: number;
} {
  return {
    exported: data.tables
      .filter((table) => table.rows.length > 0)
      .map((table) => ({ table: table.table, rows: table.rows.length })),
    held: data.held.length,
  };
}
