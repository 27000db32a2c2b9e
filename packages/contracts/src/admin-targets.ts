import { z } from 'zod';
import { connectorTypeSchema, targetSummarySchema } from './targets.js';
import { moduleSchema, roleSchema } from './tenancy.js';
import { safeText } from './text.js';
import { subfolderSchema } from './transfer-options.js';

/** Outlook's 25 category colour presets (docs/microsoft-365.md §5.8). */
export const CATEGORY_PRESETS = Array.from({ length: 25 }, (_, i) => `preset${i}`) as readonly string[];
// An enum, so the OpenAPI document lists the presets and a client can offer exactly these.
export const categoryColorSchema = z.enum(CATEGORY_PRESETS as [string, ...string[]], {
  error: 'must be one of preset0 … preset24',
});

export const localisedTextSchema = z.object({ en: z.string(), de: z.string() });
// Target titles and category names are names other people read (the add-in's list, Outlook's
// categories): one line, and nothing that reorders or hides text (text.ts).
const titleTextSchema = z.object({
  en: safeText({ name: true }).trim().min(1, 'is required').max(256),
  de: safeText({ name: true }).trim().min(1, 'is required').max(256),
});
const categoryNameSchema = z.object({
  en: safeText({ name: true }).trim().min(1, 'is required').max(128),
  de: safeText({ name: true }).trim().min(1, 'is required').max(128),
});

// ---- Connectors -------------------------------------------------------------------------------

export const CONNECTOR_CAPABILITIES = [
  'write_files',
  'create_record',
  'link_existing',
  'search_records',
  'field_mapping',
] as const;
export const connectorCapabilitySchema = z.enum(CONNECTOR_CAPABILITIES);

export const settingFieldSchema = z.object({
  key: z.string(),
  kind: z.enum([
    'text',
    'path',
    'secret',
    'url',
    'email',
    'sharepoint_drive',
    'sharepoint_folder',
    // Filled by the portal's Microsoft pickers (Teams channel, Planner plan and bucket).
    'teams_team',
    'teams_channel',
    'planner_plan',
    'planner_bucket',
    // A list of { field, source }: which of the target system's fields gets which part of the mail.
    'field_mapping',
  ]),
  required: z.boolean(),
  label: localisedTextSchema,
  help: localisedTextSchema.optional(),
  /** For `field_mapping`: the parts of a mail a field can be filled with (subject, sender, date …). */
  sources: z.array(z.object({ key: z.string(), label: localisedTextSchema })).optional(),
});
export type SettingFieldDescription = z.infer<typeof settingFieldSchema>;

export const connectorDescriptionSchema = z.object({
  type: connectorTypeSchema,
  name: localisedTextSchema,
  fields: z.array(settingFieldSchema),
  /** The portal's picker for the connector's fields: SharePoint library/folder, team/channel, plan/bucket. */
  picker: z.enum(['sharepoint', 'teams_channel', 'planner']).nullable(),
  /** Whose credentials it needs: none, the tenant's (with the target), each user's own ("Manage passwords"). */
  credentialKind: z.enum(['none', 'tenant', 'user']),
  /** The credential's fields, for the portal's (tenant) or the add-in's (user) form. */
  credentialFields: z.array(settingFieldSchema),
  capabilities: z.array(connectorCapabilitySchema),
  /**
   * The server makes the target's signing secret (the webhook's `whsec_…`): shown once when the
   * target is created or the secret renewed, never again.
   */
  generatesSecret: z.boolean(),
});
/** `GET /portal/api/connectors` */
export const connectorListResponseSchema = z.object({ connectors: z.array(connectorDescriptionSchema) });

/** `POST /portal/api/connectors/:type/test` */
export const connectionTestBodySchema = z.object({
  settings: z.record(z.string(), z.unknown()),
  /** For connectors with credentials: an account to test with; never stored by the test. */
  credential: z.record(z.string().max(64), z.string().max(4096)).optional(),
});
export const connectionTestResponseSchema = z.object({ ok: z.boolean(), message: z.string() });
export const connectorTypeParamsSchema = z.object({ type: z.string().min(1).max(64) });

// ---- Categories -------------------------------------------------------------------------------

export const categorySchema = z.object({
  id: z.uuid(),
  module: moduleSchema,
  name: localisedTextSchema,
  color: categoryColorSchema,
  position: z.number().int(),
});
export type Category = z.infer<typeof categorySchema>;
export const categoryListResponseSchema = z.object({ categories: z.array(categorySchema) });
export const categoryResponseSchema = z.object({ category: categorySchema });
/** `POST /portal/api/categories`, `PATCH /portal/api/categories/:id` */
export const categoryBodySchema = z.object({
  module: moduleSchema,
  name: categoryNameSchema,
  color: categoryColorSchema,
});
export type CategoryBody = z.infer<typeof categoryBodySchema>;
/** `PUT /portal/api/categories/order`: every category of one module, in the new order. */
export const categoryOrderBodySchema = z.object({
  module: moduleSchema,
  ids: z.array(z.uuid()).max(500),
});

// ---- Targets (portal) -------------------------------------------------------------------------

export const visibilityEntrySchema = z.object({
  type: z.enum(['user', 'group']),
  id: z.uuid(),
  displayName: z.string().min(1).max(256),
});
export type VisibilityEntry = z.infer<typeof visibilityEntrySchema>;
export const visibilitySchema = z.object({
  everyone: z.boolean(),
  entries: z.array(visibilityEntrySchema).max(500),
});
export type Visibility = z.infer<typeof visibilitySchema>;

export const adminTargetSchema = z.object({
  id: z.uuid(),
  connectorType: connectorTypeSchema,
  title: localisedTextSchema,
  categoryId: z.uuid().nullable(),
  settings: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  visibility: visibilitySchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AdminTarget = z.infer<typeof adminTargetSchema>;
export const adminTargetListResponseSchema = z.object({ targets: z.array(adminTargetSchema) });
export const adminTargetResponseSchema = z.object({ target: adminTargetSchema });
/** `POST /portal/api/targets`: with the signing secret, once, for connectors that generate one. */
export const createdTargetResponseSchema = z.object({
  target: adminTargetSchema,
  signingSecret: z.string().optional(),
});
/** `POST /portal/api/targets/:id/signing-secret`: a new secret, shown this once. */
export const signingSecretResponseSchema = z.object({ signingSecret: z.string() });

/** `POST /portal/api/targets` */
export const createTargetBodySchema = z.object({
  connectorType: z.string().min(1).max(64),
  title: titleTextSchema,
  categoryId: z.uuid().nullable(),
  settings: z.record(z.string(), z.unknown()),
  enabled: z.boolean().default(true),
});
export type CreateTargetBody = z.infer<typeof createTargetBodySchema>;
/** `PATCH /portal/api/targets/:id` */
export const updateTargetBodySchema = z.object({
  title: titleTextSchema.optional(),
  categoryId: z.uuid().nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateTargetBody = z.infer<typeof updateTargetBodySchema>;

// ---- Directory search and SharePoint picker ------------------------------------------------------

/** `GET /portal/api/directory/search?kind=&q=&page=` */
export const directorySearchQuerySchema = z.object({
  kind: z.enum(['users', 'groups']),
  q: z.string().trim().max(100).default(''),
  /** The opaque cursor of the previous answer's `next`. */
  page: z.string().max(4000).optional(),
});
export const directorySearchResponseSchema = z.object({
  results: z.array(z.object({ id: z.uuid(), displayName: z.string(), detail: z.string().nullable() })),
  count: z.number().int().nullable(),
  next: z.string().nullable(),
});

export const sharePointSiteListResponseSchema = z.object({
  sites: z.array(z.object({ id: z.string(), displayName: z.string(), webUrl: z.string().nullable() })),
});
export const sharePointDriveListResponseSchema = z.object({
  drives: z.array(z.object({ id: z.string(), name: z.string(), webUrl: z.string().nullable() })),
});
export const sharePointFolderListResponseSchema = z.object({
  folders: z.array(z.object({ id: z.string(), name: z.string(), path: z.string() })),
});
export const sharePointSitesQuerySchema = z.object({ search: z.string().trim().max(100).default('') });
export const sharePointSiteParamsSchema = z.object({ siteId: z.string().min(1).max(300) });
export const sharePointFoldersQuerySchema = z.object({
  driveId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9!_.-]+$/, 'is not a drive id'),
  /** The folder's path below the library's root; empty for the root. No `.`/`..`: Graph refuses them. */
  path: subfolderSchema.default(''),
});

// ---- Credentials ("Manage passwords") ---------------------------------------------------------

export const storedCredentialSchema = z.object({
  id: z.uuid(),
  user: z.object({ id: z.uuid(), displayName: z.string(), email: z.string() }),
  target: z.object({ id: z.uuid(), title: localisedTextSchema }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type StoredCredential = z.infer<typeof storedCredentialSchema>;
/**
 * A secret the tenant itself holds for a target (a webhook's signing secret): nobody's account, so
 * it is renewed in the target's place, never revoked (the target could no longer sign). Never the value.
 */
export const targetSecretSchema = z.object({
  target: z.object({ id: z.uuid(), title: localisedTextSchema }),
  createdAt: z.iso.datetime(),
  /** When it was made or last renewed. */
  updatedAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type TargetSecret = z.infer<typeof targetSecretSchema>;
export const storedCredentialListResponseSchema = z.object({
  credentials: z.array(storedCredentialSchema),
  targetSecrets: z.array(targetSecretSchema),
});
export const revokedCredentialsResponseSchema = z.object({ revoked: z.number().int() });

// ---- Add-in bootstrap ---------------------------------------------------------------------------

export const bootstrapQuerySchema = z.object({ lang: z.enum(['en', 'de']).optional() });
export const bootstrapResponseSchema = z.object({
  language: z.enum(['en', 'de']),
  user: z.object({ id: z.uuid(), displayName: z.string(), email: z.string(), roles: z.array(roleSchema) }),
  tenant: z.object({ id: z.uuid(), name: z.string() }),
  licences: z.array(moduleSchema),
  /** Empty without a Transfer licence (then `administrators` says whom to ask). */
  groups: z.array(
    z.object({
      category: z.object({ id: z.uuid(), name: z.string(), color: categoryColorSchema }).nullable(),
      /** Only what the add-in shows; the category is the group's. */
      targets: z.array(targetSummarySchema.pick({ id: true, title: true, connectorType: true })),
    }),
  ),
  administrators: z.array(z.object({ displayName: z.string(), email: z.string() })),
});
export type Bootstrap = z.infer<typeof bootstrapResponseSchema>;
