import type { FaultInjector } from './faults.js';
import type { CollaborationStore } from './graph/collaboration-store.js';
import type { Directory } from './graph/directory.js';
import type { DriveStore } from './graph/drive-store.js';
import type { MailboxStore } from './graph/mailbox-store.js';
import type { SubscriptionStore } from './graph/subscription-store.js';
import type { GrantStore } from './identity/grant-store.js';
import type { EmulatorSigningKeys } from './identity/signing-keys.js';
import type { TokenIssuer } from './identity/token-issuer.js';
import type { SeedTenant } from './seed/directory-seed.js';

/** Everything the emulator's routes share; built once when the plugin starts. */
/** Who the emulator is and which application is registered in its tenants. */
export interface M365EmulatorOptions {
  /** The origin the emulator is reached at; its routes live below `${publicBaseUrl}/emulator`. */
  publicBaseUrl: string;
  /** Signing keys and drive contents persist here. */
  dataDir: string;
  /** Every `.eml` in this folder is added to the first demo user's mailbox; null: none. */
  importDir: string | null;
  /** `production` makes the plugin refuse to start: no sign-in page without passwords goes live. */
  nodeEnv: string;
  /** The one application registered in every emulated tenant (the product, or a test client). */
  app: { clientId: string; clientSecret: string };
  now?: () => Date;
  /** More tenants beside the seeded ones, e.g. a generated large tenant for a benchmark. */
  extraTenants?: readonly SeedTenant[];
  /** Where the built Outlook page is; tests point it elsewhere. */
  outlookDistDir?: string;
}

export interface EmulatorContext {
  options: M365EmulatorOptions;
  now: () => Date;
  /** `${publicBaseUrl}/emulator`: the authority base of every emulated tenant. */
  emulatorBase: string;
  /** `${publicBaseUrl}/emulator/graph/v1.0`: where `@odata.context` and `@odata.nextLink` point. */
  graphBase: string;
  keys: EmulatorSigningKeys;
  tokens: TokenIssuer;
  grants: GrantStore;
  directory: Directory;
  mailboxes: MailboxStore;
  drives: DriveStore;
  subscriptions: SubscriptionStore;
  /** Teams channel messages, Planner and To Do tasks. */
  collaboration: CollaborationStore;
  faults: FaultInjector;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra's tenant path segment: a tenant GUID, or one of the multi-tenant aliases. */
export type TenantPath =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'common' }
  | { kind: 'organizations' };

export function parseTenantPath(context: EmulatorContext, segment: string): TenantPath | undefined {
  const lower = segment.toLowerCase();
  if (lower === 'common') return { kind: 'common' };
  if (lower === 'organizations') return { kind: 'organizations' };
  if (GUID.test(lower) && context.directory.tenant(lower)) return { kind: 'tenant', tenantId: lower };
  return undefined;
}
