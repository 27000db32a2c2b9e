import type { Queryable } from '../db/database.js';
import { DEFAULT_FILE_NAME_TEMPLATE } from './file-name-template.js';

/** Mail fields a target may map to its library's columns. */
export const MAPPABLE_FIELDS = ['subject', 'from', 'to', 'date', 'category', 'conversation'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

export interface TargetTransferOptions {
  fileNameTemplate: string;
  /** The Outlook category set on a filed mail; null: no marker. */
  filedCategory: string | null;
  filedColor: string | null;
  /** Column name (as the library knows it) → the mail field written into it. */
  columnMapping: Partial<Record<string, MappableField>>;
}

/** A target's transfer options, or the defaults when none are stored. Must run inside withTenant(). */
export async function getTargetTransferOptions(
  tx: Queryable,
  tenantId: string,
  targetId: string,
): Promise<TargetTransferOptions> {
  const result = await tx.query<{
    file_name_template: string;
    filed_category: string | null;
    filed_color: string | null;
    column_mapping: Partial<Record<string, MappableField>>;
  }>(
    `select file_name_template, filed_category, filed_color, column_mapping
       from target_transfer_options where tenant_id = $1 and target_id = $2`,
    [tenantId, targetId],
  );
  const row = result.rows[0];
  return {
    fileNameTemplate: row?.file_name_template ?? DEFAULT_FILE_NAME_TEMPLATE,
    filedCategory: row?.filed_category ?? null,
    filedColor: row?.filed_color ?? null,
    columnMapping: row?.column_mapping ?? {},
  };
}
