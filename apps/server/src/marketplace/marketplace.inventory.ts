import type { TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

// Declared here beside the feature and spread into privacy/data-inventory.ts.

/**
 * A marketplace purchase as Microsoft reports it: offer, plan, users, term and state of an
 * organisation's subscription, and the tenant that bought it (an organisation, not a person). The
 * purchaser's name and e-mail address are shown on the landing page but never stored.
 */
export const marketplaceInventory: Record<string, TableDeclaration> = {
  marketplace_subscriptions: {
    tenant_id: { personal: false },
    id: { personal: false },
    offer_id: { personal: false },
    plan_id: { personal: false },
    quantity: { personal: false },
    term_unit: { personal: false },
    status: { personal: false },
    purchaser_microsoft_tenant_id: { personal: false },
    activated_at: { personal: false },
    updated_at: { personal: false },
  },
  marketplace_operations: {
    tenant_id: { personal: false },
    id: { personal: false },
    subscription_id: { personal: false },
    action: { personal: false },
    outcome: { personal: false },
    received_at: { personal: false },
  },
};

/** Both belong to the tenant: exported with it and deleted when its tenancy ends. */
export const marketplaceSubjects: Record<string, TableSubjects> = {
  marketplace_subscriptions: { keys: { tenantId: 'tenant_id' } },
  marketplace_operations: { keys: { tenantId: 'tenant_id' } },
};
