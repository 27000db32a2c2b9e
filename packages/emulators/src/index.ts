/**
 * Local stand-ins for the outside systems Mailissa talks to. The product's demo wiring
 * (apps/server/src/demo/) is the only product code that imports this package.
 */

export { createDominoEmulator, DOMINO_EMULATOR_PREFIX, type DominoEmulator } from './domino/domino.plugin.js';
export { DOMINO_DEMO_SCOPE, DOMINO_DEMO_USERS } from './domino/domino-store.js';
export { DEMO_APP, type DemoFixture, demoFixture } from './fixture.js';
export { createJiraEmulator, JIRA_EMULATOR_PREFIX, type JiraEmulator } from './jira/jira.plugin.js';
export { JIRA_DEMO_ACCOUNTS } from './jira/jira-store.js';
export { type EmulatorHandle, emulatorPlugin } from './m365/emulator.plugin.js';
export type { M365EmulatorOptions } from './m365/emulator-context.js';
export type { FaultSpec } from './m365/faults.js';
export { MARKETPLACE_RESOURCE } from './m365/identity/scopes.js';
export { OFFICE_STANDIN_PATH } from './m365/outlook.routes.js';
export * from './m365/seed/index.js';
export { type CaughtMail, type CaughtMailSummary, caughtMailSchema } from './mail-catcher/caught-mail.js';
export { type MailCatcher, startMailCatcher } from './mail-catcher/mail-catcher.js';
export { mailCatcherRoutes } from './mail-catcher/mail-catcher.routes.js';
export {
  type MarketplaceEmulatorHandle,
  type MarketplaceEmulatorOptions,
  marketplaceEmulatorPlugin,
  type WebhookDelivery,
} from './marketplace/marketplace-emulator.plugin.js';
export {
  DEMO_OFFER,
  type SaasAction,
  type SaasOperation,
  type SaasSubscription,
} from './marketplace/marketplace-store.js';
export { type StripeEmulatorOptions, stripeEmulatorPlugin } from './payments/stripe-emulator.plugin.js';
export { type StripeStore, stripeSignature, TEST_CARDS, TEST_IBANS } from './payments/stripe-store.js';
export { VIES_VALID, type ViesEmulatorOptions, viesEmulatorPlugin } from './payments/vies.plugin.js';
export type { RestFaultSpec } from './rest-faults.js';
export { createTrelloEmulator, TRELLO_EMULATOR_PREFIX, type TrelloEmulator } from './trello/trello.plugin.js';
export { TRELLO_DEMO_IDS, TRELLO_DEMO_MEMBERS } from './trello/trello-store.js';
