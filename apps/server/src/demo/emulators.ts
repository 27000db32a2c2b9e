/**
 * The product's one door to the emulator package: demo wiring and tests import the emulators'
 * seeded ids and HTTP test clients from here, never from the package directly, so a glance at this
 * folder shows everything the product knows about its stand-ins.
 */
export {
  type CaughtMail,
  DEMO_DRIVE_FOLDERS,
  DEMO_DRIVE_ID,
  DEMO_GROUP_IDS,
  DEMO_SECOND_USER_UPN,
  DEMO_SITE_ID,
  DEMO_TENANT_ID,
  DEMO_USER_DISPLAY_NAME,
  DEMO_USER_OID,
  DEMO_USER_UPN,
  demoFixture,
  type EmulatorHandle,
  type FaultSpec,
  LARGE_MAIL_FILE,
  type MailCatcher,
  NORTHWIND_ADMIN_UPN,
  NORTHWIND_TENANT_ID,
  NORTHWIND_USER_UPN,
  OPERATOR_TENANT_ID,
  OPERATOR_USER_OID,
  OPERATOR_USER_UPN,
  readSeedMail,
  SECOND_DRIVE_ID,
  SECOND_SITE_ID,
  SECOND_TENANT_ID,
  SECOND_TENANT_USER_UPN,
  SEED_MAIL_DIR,
  startMailCatcher,
} from '@mailissa/emulators';
export * from '@mailissa/emulators/test-client';
