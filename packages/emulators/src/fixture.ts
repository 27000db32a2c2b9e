import {
  DEMO_DRIVE_FOLDERS,
  DEMO_DRIVE_ID,
  DEMO_GROUP_IDS,
  DEMO_PLANS,
  DEMO_SECOND_USER_UPN,
  DEMO_SITE_ID,
  DEMO_TEAMS,
  DEMO_TENANT_ID,
  DEMO_USER_DISPLAY_NAME,
  DEMO_USER_OID,
  DEMO_USER_UPN,
  NORTHWIND_ADMIN_UPN,
  NORTHWIND_TENANT_ID,
  NORTHWIND_USER_UPN,
  OPERATOR_TENANT_ID,
  OPERATOR_USER_OID,
  OPERATOR_USER_UPN,
  SECOND_DRIVE_ID,
  SECOND_SITE_ID,
  SECOND_TENANT_ID,
  SECOND_TENANT_USER_UPN,
} from './m365/seed/index.js';

/**
 * What the emulators publish about their seeded world: the product's demo wiring (apps/server's
 * demo/) reads this to set up matching customers and targets, and tests use it to sign in as a
 * known user. Fixed ids, so demo data survives restarts.
 */
export const demoFixture = {
  tenants: {
    demo: { microsoftTenantId: DEMO_TENANT_ID, name: 'Contoso Demo' },
    second: { microsoftTenantId: SECOND_TENANT_ID, name: 'Fabrikam Demo' },
    /** No subscription and no admin consent: the demo product leaves it to register at /register. */
    northwind: { microsoftTenantId: NORTHWIND_TENANT_ID },
    /** The tenant whose users run the operator console in demo mode. */
    operator: { microsoftTenantId: OPERATOR_TENANT_ID },
  },
  users: {
    demo: { upn: DEMO_USER_UPN, objectId: DEMO_USER_OID, displayName: DEMO_USER_DISPLAY_NAME },
    demoSecond: { upn: DEMO_SECOND_USER_UPN },
    second: { upn: SECOND_TENANT_USER_UPN },
    /** Northwind's global administrator, and a user without admin roles. */
    northwindAdmin: { upn: NORTHWIND_ADMIN_UPN },
    northwind: { upn: NORTHWIND_USER_UPN },
    operator: { upn: OPERATOR_USER_UPN, objectId: OPERATOR_USER_OID },
  },
  groups: DEMO_GROUP_IDS,
  drives: {
    demo: { driveId: DEMO_DRIVE_ID, siteId: DEMO_SITE_ID, folders: DEMO_DRIVE_FOLDERS },
    second: { driveId: SECOND_DRIVE_ID, siteId: SECOND_SITE_ID },
  },
  /** Teams of Microsoft 365 groups: "Sales" (members Jonas, Lena, Maximilian, Sophie, Julia) and "Support". */
  teams: DEMO_TEAMS,
  /** Planner plans of the same groups, with their buckets. */
  plans: DEMO_PLANS,
  /** Every user's To Do lists: "Tasks" (the default list) and "Follow-ups". */
  todoLists: ['Tasks', 'Follow-ups'],
} as const;

/**
 * The application registered in the emulator when it runs on its own (`npm run emulator`); the
 * product's demo mode registers its own client id instead. Never valid against real Entra ID.
 */
export const DEMO_APP = {
  clientId: '6d1c0f52-3a7e-4d6b-9a51-4e0c8b7f2a10',
  clientSecret: 'demo-client-secret-only-valid-in-the-emulator',
} as const;

export type DemoFixture = typeof demoFixture;
