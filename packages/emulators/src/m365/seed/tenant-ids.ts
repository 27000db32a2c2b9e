/**
 * The Microsoft tenant IDs of the emulator's seeded tenants. Fixed so that demo data, tests and the
 * product's own demo seed agree across restarts.
 */
export const DEMO_TENANT_ID = '8f2c4b1e-6a3d-4c5e-9b7f-1d2e3a4b5c6d';
export const SECOND_TENANT_ID = '3b9e7d2a-5c1f-4e8b-a6d4-7f0c2b9e1a35';
export const OPERATOR_TENANT_ID = 'c4d5e6f7-0a1b-4c2d-8e3f-9a0b1c2d3e4f';
/** A customer tenant with no Mailissa subscription: registered through /register in demo mode. */
export const NORTHWIND_TENANT_ID = '5e1a9c3d-7b2f-4a6e-8d0c-2f4b6a8c0e13';
