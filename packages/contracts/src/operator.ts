import { z } from 'zod';

/** The operator console's privacy views: `/operator/api/consent-statistics`, `…/security`, `…/record-of-processing`. */

/** `GET /operator/api/consent-statistics?days=` */
export const consentStatisticsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(3660).default(30),
});

/** `GET /operator/api/security?hours=` */
export const securityViewQuerySchema = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
});

/** `GET /operator/api/record-of-processing?download=` */
export const recordOfProcessingQuerySchema = z.object({ download: z.enum(['0', '1']).default('0') });

export const failureSourceSchema = z.object({
  ipTruncated: z.string(),
  ipHash: z.string(),
  failures: z.number().int(),
  firstAt: z.iso.datetime(),
  lastAt: z.iso.datetime(),
  paths: z.array(z.string()),
});

export const blockInForceSchema = z.object({
  ipTruncated: z.string(),
  ipHash: z.string(),
  reason: z.string(),
  failures: z.number().int(),
  blockedAt: z.iso.datetime(),
  blockedUntil: z.iso.datetime(),
});

export const securityViewSchema = z.object({
  since: z.iso.datetime(),
  topSources: z.array(failureSourceSchema),
  blocks: z.array(blockInForceSchema),
});
export type SecurityView = z.infer<typeof securityViewSchema>;

export const consentStatisticsSchema = z.object({
  since: z.iso.datetime(),
  until: z.iso.datetime(),
  revisions: z.array(
    z.object({
      policyRevision: z.string(),
      choices: z.number().int(),
      preferencesAccepted: z.number().int(),
      statisticsAccepted: z.number().int(),
      withGpc: z.number().int(),
      rejectedAll: z.number().int(),
    }),
  ),
});

const processingActivitySchema = z.object({
  id: z.string(),
  surface: z.string(),
  name: z.string(),
  purpose: z.string(),
  legalBases: z.array(z.string()),
  dataSubjects: z.string(),
  dataCategories: z.array(
    z.object({ what: z.string(), collectedWhen: z.string(), table: z.string(), column: z.string() }),
  ),
  recipients: z.string(),
  thirdCountryTransfers: z.string(),
  retention: z.array(z.string()),
});

export const recordOfProcessingSchema = z.object({
  generatedAt: z.iso.datetime(),
  controller: z
    .object({
      name: z.string(),
      address: z.array(z.string()),
      email: z.string(),
      phone: z.string().nullable(),
      representative: z.string().nullable(),
    })
    .nullable(),
  dataProtectionOfficer: z
    .object({
      name: z.string(),
      address: z.array(z.string()),
      email: z.string(),
      phone: z.string().nullable(),
    })
    .nullable(),
  technicalAndOrganisationalMeasures: z.array(z.string()),
  activities: z.array(processingActivitySchema),
});
export type ConsentStatistics = z.infer<typeof consentStatisticsSchema>;
export type RecordOfProcessing = z.infer<typeof recordOfProcessingSchema>;
