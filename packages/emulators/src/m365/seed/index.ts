/** The seeded ids other features and tests rely on; one import for all of them. */

export { DEMO_PLANS, DEMO_TEAMS } from './collaboration-seed.js';
export {
  DEMO_GROUP_IDS,
  DEMO_SECOND_USER_UPN,
  DEMO_USER_DISPLAY_NAME,
  DEMO_USER_OID,
  DEMO_USER_UPN,
  NORTHWIND_ADMIN_UPN,
  NORTHWIND_USER_UPN,
  OPERATOR_USER_OID,
  OPERATOR_USER_UPN,
  SECOND_TENANT_USER_UPN,
  SEED_TENANTS,
  type SeedGroup,
  type SeedTenant,
  type SeedUser,
} from './directory-seed.js';
export {
  DEMO_DRIVE_FOLDERS,
  DEMO_DRIVE_ID,
  DEMO_SITE_ID,
  groupDriveId,
  SECOND_DRIVE_ID,
  SECOND_SITE_ID,
} from './drive-seed.js';
export { generateLargeTenant, type LargeTenant, type LargeTenantOptions } from './large-tenant.js';
export { LARGE_MAIL_FILE, readSeedMail, SEED_MAIL_DIR } from './seed-mails.js';
export { DEMO_TENANT_ID, NORTHWIND_TENANT_ID, OPERATOR_TENANT_ID, SECOND_TENANT_ID } from './tenant-ids.js';
