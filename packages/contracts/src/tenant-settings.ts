import { z } from 'zod';

/** `GET` and `PUT /portal/api/admin/settings` (tenant administrators). */
export const tenantSettingsSchema = z.object({
  /** Per module: a user's first start gives them a licence while seats last. */
  autoAssignLicences: z.object({ team: z.boolean(), transfer: z.boolean() }),
  /** The portal signs out after this many minutes without activity. */
  portalIdleMinutes: z.number().int().min(3).max(60),
  /** The language new users see until they choose their own. */
  defaultLanguage: z.enum(['en', 'de']),
  /** Audit entries older than this many days are deleted by a nightly job. */
  auditRetentionDays: z.number().int().min(30).max(3650),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;
