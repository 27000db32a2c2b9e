import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

// Declared beside the feature and spread into privacy/data-inventory.ts: counts and settings only.
export const licensingInventory: Record<string, TableDeclaration> = {
  seat_usage_daily: {
    tenant_id: { personal: false },
    day: { personal: false },
    module: { personal: false },
    assigned: { personal: false },
    seats: { personal: false },
  },
};

/** The tenant's rows: exported with its configuration and deleted when the tenancy ends. */
export const licensingSubjects: Record<string, TableSubjects> = {
  seat_usage_daily: { keys: { tenantId: 'tenant_id' } },
};
