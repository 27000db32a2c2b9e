import { z } from 'zod';

/** `GET /portal/api/admin/audit` and its CSV export: filters by person, action and time range. */
export const auditQuerySchema = z.object({
  actorUserId: z.uuid().optional(),
  /** An exact action (`licence.assigned`) or an area (`licence`). */
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)?$/, 'an action such as licence.assigned, or an area such as licence')
    .max(64)
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventSchema = z.object({
  id: z.uuid(),
  occurredAt: z.iso.datetime(),
  actor: z.object({ userId: z.uuid().nullable(), name: z.string() }),
  action: z.string(),
  subject: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEventEntry = z.infer<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  events: z.array(auditEventSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Who appears in the log, for the person filter. */
  actors: z.array(z.object({ userId: z.uuid(), name: z.string() })),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
