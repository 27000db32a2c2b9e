import { z } from 'zod';

// ---- Portal pickers for the Microsoft targets (Teams channel, Planner plan and bucket) ----------

const named = z.object({ id: z.string(), name: z.string() });

/** `GET /portal/api/m365/teams` */
export const m365TeamListResponseSchema = z.object({ teams: z.array(named) });
/** `GET /portal/api/m365/teams/:teamId/channels` */
export const m365ChannelListResponseSchema = z.object({ channels: z.array(named) });
/** `GET /portal/api/m365/groups`: the organisation's Microsoft 365 groups (those that can own plans). */
export const m365GroupListResponseSchema = z.object({ groups: z.array(named) });
/** `GET /portal/api/m365/groups/:groupId/plans` */
export const m365PlanListResponseSchema = z.object({ plans: z.array(named) });
/** `GET /portal/api/m365/plans/:planId/buckets` */
export const m365BucketListResponseSchema = z.object({ buckets: z.array(named) });

export const m365TeamParamsSchema = z.object({ teamId: z.uuid() });
export const m365GroupParamsSchema = z.object({ groupId: z.uuid() });
export const m365PlanParamsSchema = z.object({
  planId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a plan id'),
});
