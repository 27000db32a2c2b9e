import type { TargetSummary } from '@mailissa/contracts';
import type { ConnectorType } from '../connectors/connector.js';

export interface TargetRow {
  id: string;
  tenant_id: string;
  connector_type: ConnectorType;
  category: string;
  title: string;
  settings: unknown;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toTargetSummary(
  row: Pick<TargetRow, 'id' | 'title' | 'category' | 'connector_type'>,
): TargetSummary {
  return { id: row.id, title: row.title, category: row.category, connectorType: row.connector_type };
}
