/**
 * The contract between the server and the browser apps: the zod schemas of every JSON request and
 * response of `/api/…`, `/portal/api/…`, `/operator/api/…` and `/auth/…`, and the closed list of
 * error codes. The server validates and documents its routes with them (OpenAPI); the web takes
 * its types from them and checks answers against them in development and tests.
 */

export * from './admin-targets.js';
export * from './audit.js';
export * from './billing.js';
export * from './client-config.js';
export * from './common.js';
export * from './connector-accounts.js';
export * from './contact.js';
export * from './errors.js';
export * from './file-name-template.js';
export * from './health.js';
export * from './licensing.js';
export * from './m365-pickers.js';
export * from './newsletter.js';
export * from './operator.js';
export * from './rights.js';
export * from './session.js';
export * from './targets.js';
export * from './team.js';
export * from './tenancy.js';
export * from './tenant-settings.js';
export * from './text.js';
export * from './transfer.js';
export * from './transfer-options.js';
