import type { AdminTarget, Category, LicensedModule, VisibilityEntry } from '@mailissa/contracts';
import type { ConnectorType } from '../connectors/connector.js';

export interface TargetRow {
  id: string;
  tenant_id: string;
  connector_type: ConnectorType;
  category_id: string | null;
  title_en: string;
  title_de: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  visible_to_everyone: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface CategoryRow {
  id: string;
  tenant_id: string;
  module: LicensedModule;
  name_en: string;
  name_de: string;
  color: string;
  position: number;
}

export interface VisibilityRow {
  target_id: string;
  principal_type: 'user' | 'group';
  principal_id: string;
  display_name: string;
}

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    module: row.module,
    name: { en: row.name_en, de: row.name_de },
    color: row.color,
    position: row.position,
  };
}

export function toVisibilityEntry(row: VisibilityRow): VisibilityEntry {
  return { type: row.principal_type, id: row.principal_id, displayName: row.display_name };
}

export function toAdminTarget(row: TargetRow, visibility: VisibilityRow[]): AdminTarget {
  return {
    id: row.id,
    connectorType: row.connector_type,
    title: { en: row.title_en, de: row.title_de },
    categoryId: row.category_id,
    settings: row.settings,
    enabled: row.enabled,
    visibility: {
      everyone: row.visible_to_everyone,
      entries: visibility.filter((entry) => entry.target_id === row.id).map(toVisibilityEntry),
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
