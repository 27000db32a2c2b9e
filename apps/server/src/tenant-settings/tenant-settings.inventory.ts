import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

// Declared beside the feature and spread into privacy/data-inventory.ts: no personal data.
export const tenantSettingsInventory: Record<string, TableDeclaration> = {
  tenant_settings: {
    tenant_id: { personal: false },
    auto_assign_team: { personal: false },
    auto_assign_transfer: { personal: false },
    portal_idle_minutes: { personal: false },
    default_language: { personal: false },
    audit_retention_days: { personal: false },
    updated_at: { personal: false },
  },
};

/** The tenant's rows: exported with its configuration and deleted when the tenancy ends. */
export const tenantSettingsSubjects: Record<string, TableSubjects> = {
  tenant_settings: { keys: { tenantId: 'tenant_id' } },
};
