import { z } from 'zod';

/** Data-subject rights: exports, erasure outcomes, objections, the request queue, tenancy end. */

const localisedSchema = z.object({ en: z.string(), de: z.string() });

export const subjectExportSchema = z.object({
  generatedAt: z.string(),
  subject: z.object({ by: z.string(), value: z.string(), tenantId: z.string().optional() }),
  tables: z.array(
    z.object({
      table: z.string(),
      columns: z.array(
        z.object({
          name: z.string(),
          what: localisedSchema.optional(),
          why: localisedSchema.optional(),
          retention: localisedSchema.optional(),
        }),
      ),
      rows: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
  held: z.array(
    z.object({
      table: z.string(),
      heldAt: z.string(),
      holdUntil: z.string(),
      reason: localisedSchema,
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  notAttributable: z.array(z.object({ table: z.string(), reason: localisedSchema })),
});
export type SubjectExport = z.infer<typeof subjectExportSchema>;

export const dataFormatQuerySchema = z.object({
  format: z.enum(['json', 'html']).default('json'),
  lang: z.enum(['en', 'de']).default('en'),
});

export const erasureOutcomeSchema = z.object({
  table: z.string(),
  action: z.enum(['erased', 'held', 'pseudonymised', 'kept']),
  rows: z.number().int(),
  reason: localisedSchema.optional(),
  holdUntil: z.string().optional(),
});

export const erasureResponseSchema = z.object({
  requestId: z.uuid(),
  outcomes: z.array(erasureOutcomeSchema),
});
export type ErasureResponse = z.infer<typeof erasureResponseSchema>;

export const processingSchema = z.enum(['usage_log']);
export const objectionRequestSchema = z.object({
  processing: processingSchema,
  kind: z.enum(['restriction', 'objection']),
  reason: z.string().trim().max(2000).optional(),
});
export const objectionSchema = objectionRequestSchema.extend({ recordedAt: z.string() });
export const myRightsSchema = z.object({
  objections: z.array(objectionSchema),
  /** Where the name and e-mail address come from, so the page can say how to correct them. */
  identitySource: z.literal('microsoft_365'),
  email: z.string(),
  displayName: z.string(),
});
export type MyRights = z.infer<typeof myRightsSchema>;

export const rightsRequestSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['access', 'rectification', 'erasure', 'restriction', 'objection']),
  channel: z.enum(['self_service', 'website', 'administrator', 'operator']),
  status: z.enum(['awaiting_confirmation', 'open', 'completed', 'rejected']),
  language: z.enum(['en', 'de']),
  subjectEmail: z.string().nullable(),
  subjectUserId: z.string().nullable(),
  tenantId: z.string().nullable(),
  details: z.string().nullable(),
  receivedAt: z.string(),
  confirmedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  extendedAt: z.string().nullable(),
  extensionReason: z.string().nullable(),
  identityCheck: z.string().nullable(),
  completedAt: z.string().nullable(),
  requestedBy: z.string().nullable(),
  result: z.unknown(),
  overdue: z.boolean(),
});
export type RightsRequest = z.infer<typeof rightsRequestSchema>;

export const rightsRequestEventSchema = z.object({
  occurredAt: z.string(),
  actor: z.string(),
  action: z.string(),
  outcome: z.enum(['done', 'failed', 'info']),
  detail: z.unknown(),
});

export const listRightsRequestsResponseSchema = z.object({ requests: z.array(rightsRequestSchema) });
export const rightsRequestDetailSchema = z.object({
  request: rightsRequestSchema,
  events: z.array(rightsRequestEventSchema),
});

export const extendRightsRequestSchema = z.object({ reason: z.string().trim().min(10).max(2000) });
export const replyTemplateSchema = z.enum(['received', 'identity_needed', 'completed', 'rejected_unfounded']);
export type ReplyTemplate = z.infer<typeof replyTemplateSchema>;
export const replyRightsRequestSchema = z.object({
  template: replyTemplateSchema,
  note: z.string().trim().max(2000).optional(),
});
export const closeRightsRequestSchema = z.object({
  status: z.enum(['completed', 'rejected']),
  note: z.string().trim().min(1).max(2000),
});

export const tenancyEndingSchema = z.object({
  requestedAt: z.string(),
  deleteAfter: z.string(),
});
/** What the end of the tenancy deletes and keeps, shown before the administrator confirms. */
export const tenancyDeletionPreviewSchema = z.object({
  /** Tables with the organisation's rows, and how many; `held` rows are kept under a legal hold. */
  tables: z.array(
    z.object({
      table: z.string(),
      rows: z.number(),
      held: z.object({ en: z.string(), de: z.string() }).optional(),
    }),
  ),
  /** What Mailissa created in the organisation's Microsoft 365 and removes there too. */
  microsoftArtefacts: z.object({ masterCategories: z.number(), subscriptions: z.number() }),
});
export type TenancyDeletionPreview = z.infer<typeof tenancyDeletionPreviewSchema>;

export const tenancyStatusSchema = z.object({
  ending: tenancyEndingSchema.nullable(),
  deletionDays: z.number(),
  preview: tenancyDeletionPreviewSchema.optional(),
});
export type TenancyStatus = z.infer<typeof tenancyStatusSchema>;

export const tenantDeletionRecordSchema = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  tenantName: z.string(),
  reason: z.enum(['customer_request', 'subscription_ended']),
  deletedAt: z.string(),
  rowsDeleted: z.record(z.string(), z.number()),
  rowsHeld: z.record(z.string(), z.number()),
  /** What was removed in the tenant's Microsoft 365 (categories, subscriptions); null before that existed. */
  microsoftArtefacts: z
    .object({
      removed: z.number(),
      alreadyGone: z.number(),
      notAllowed: z.number(),
      failed: z.number(),
      left: z.array(z.string()),
    })
    .nullable()
    .optional(),
});
/** A tenancy whose deletion failed and is tried again by the next nightly run (an error code, no message). */
export const tenantDeletionFailureSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string().nullable(),
  attempts: z.number(),
  lastFailedAt: z.string(),
  lastError: z.string(),
});
export const listTenantDeletionsResponseSchema = z.object({
  deletions: z.array(tenantDeletionRecordSchema),
  /** Tenancies still waiting for their deletion after a failed run; gone once a run succeeds. */
  failures: z.array(tenantDeletionFailureSchema),
});
