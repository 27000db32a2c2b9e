import type { TargetColumn, TargetTransferOptions } from '@mailissa/contracts';
import type { AuditActor } from '../audit/record-audit-event.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Connector, ConnectorContext } from '../connectors/connector.js';
import { connectorFor } from '../connectors/connector-registry.js';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findTarget } from '../targets/find-target.js';
import type { TargetRow } from '../targets/targets.rows.js';
import { getTargetTransferOptions, saveTargetTransferOptions } from './get-target-transfer-options.js';

/** The live target or a 404 naming it; another tenant's id is not found either. */
export async function requireAdminTarget(
  db: Database,
  tenantId: string,
  targetId: string,
): Promise<TargetRow> {
  const target = await withTenant(db, tenantId, (tx) => findTarget(tx, tenantId, targetId));
  if (!target) throw new AppError(404, 'target_not_found', 'There is no such target.');
  return target;
}

/** The library's columns when the target's connector maps fields; otherwise a 409 saying so. */
export async function columnsOf(
  target: TargetRow,
  context: ConnectorContext,
): Promise<{ connector: Connector<unknown>; columns: TargetColumn[] }> {
  const connector = connectorFor(target.connector_type);
  if (!connector.listColumns) {
    throw new AppError(
      409,
      'field_mapping_not_supported',
      'This target has no columns to write mail fields into.',
    );
  }
  const settings = connector.validateSettings(target.settings);
  return { connector, columns: await connector.listColumns(context, settings) };
}

/**
 * Every mapped column must exist in the library and be writable, and a date column takes only the
 * date: SharePoint refuses the whole field update for one bad value, which would fail every
 * transfer, so a wrong mapping is refused when it is saved.
 */
export function columnMappingProblem(
  mapping: TargetTransferOptions['columnMapping'],
  columns: TargetColumn[],
): string | undefined {
  for (const [name, field] of Object.entries(mapping)) {
    const column = columns.find((c) => c.name === name);
    if (!column) return `columnMapping.${name}: the library has no column of that name`;
    if (!column.writable)
      return `columnMapping.${name}: the column "${column.displayName}" cannot be written`;
    if (column.type === 'dateTime' && field !== 'date')
      return `columnMapping.${name}: the date column "${column.displayName}" can only hold the date`;
  }
  return undefined;
}

export async function saveTransferOptions(
  deps: { db: Database; now: () => Date; columns: () => Promise<TargetColumn[]> },
  tenantId: string,
  actor: AuditActor,
  target: TargetRow,
  options: TargetTransferOptions,
): Promise<TargetTransferOptions> {
  if (Object.keys(options.columnMapping).length > 0) {
    const problem = columnMappingProblem(options.columnMapping, await deps.columns());
    if (problem) throw new AppError(400, 'invalid_column_mapping', problem);
  }
  // No colour without a category: the colour belongs to the category's entry in the master list.
  const stored = { ...options, filedColor: options.filedCategory ? options.filedColor : null };
  return withTenant(deps.db, tenantId, async (tx) => {
    const before = await getTargetTransferOptions(tx, tenantId, target.id);
    await saveTargetTransferOptions(tx, tenantId, target.id, stored, deps.now());
    await recordAuditEvent(tx, tenantId, actor, {
      action: 'target.transfer_options_updated',
      subject: { type: 'target', id: target.id, label: target.title_en },
      before,
      after: stored,
    });
    return stored;
  });
}
