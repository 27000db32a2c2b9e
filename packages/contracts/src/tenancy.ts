import { z } from 'zod';

export const roleSchema = z.enum(['user_administrator', 'tenant_administrator']);
export type Role = z.infer<typeof roleSchema>;

export const moduleSchema = z.enum(['team', 'transfer']);
export type LicensedModule = z.infer<typeof moduleSchema>;

export const tenantSchema = z.object({
  id: z.uuid(),
  microsoftTenantId: z.uuid(),
  name: z.string(),
  state: z.enum(['active', 'suspended', 'deleted']),
});
export type Tenant = z.infer<typeof tenantSchema>;

export const userSchema = z.object({
  id: z.uuid(),
  objectId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
});
export type TenantUser = z.infer<typeof userSchema>;

export const subscriptionSchema = z.object({
  plan: z.enum(['trial', 'team', 'transfer', 'suite']),
  state: z.enum(['trial', 'active', 'past_due', 'suspended', 'cancelled', 'expired']),
  seatsTeam: z.number().int(),
  seatsTransfer: z.number().int(),
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** `GET /api/me` */
export const meSchema = z.object({
  user: userSchema,
  tenant: tenantSchema,
  subscription: subscriptionSchema,
  licences: z.array(moduleSchema),
});
export type Me = z.infer<typeof meSchema>;

/** A user as the portal's administrators see it. */
export const portalUserSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
  licences: z.array(moduleSchema),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
});
export type PortalUser = z.infer<typeof portalUserSchema>;

/** `GET /portal/api/users` */
export const portalUsersResponseSchema = z.object({ users: z.array(portalUserSchema) });
