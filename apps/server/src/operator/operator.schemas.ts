import { z } from 'zod';

/** Output schemas for what the privacy feature's functions return to the operator console. */

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
