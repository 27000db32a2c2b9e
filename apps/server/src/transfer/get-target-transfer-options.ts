import type { MappableField, TargetTransferOptions } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { DEFAULT_FILE_NAME_TEMPLATE } from './file-name-template.js';

export type { MappableField, TargetTransferOptions };

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
    column_mapping: Record<string, MappableField>;
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

/** Stores a target's transfer options (validated by the contract and the caller). Inside withTenant(). */
export async function saveTargetTransferOptions(
  tx: Queryable,
  tenantId: string,
  targetId: string,
  options: TargetTransferOptions,
  now: Date,
): Promise<void> {
  await tx.query(
    `insert into target_transfer_options
       (tenant_id, target_id, file_name_template, filed_category, filed_color, column_mapping, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (tenant_id, target_id) do update
       set file_name_template = excluded.file_name_template, filed_category = excluded.filed_category,
           filed_color = excluded.filed_color, column_mapping = excluded.column_mapping,
           updated_at = excluded.updated_at`,
    [
      tenantId,
      targetId,
      options.fileNameTemplate,
      options.filedCategory,
      options.filedColor,
      JSON.stringify(options.columnMapping),
      now,
    ],
  );
}
