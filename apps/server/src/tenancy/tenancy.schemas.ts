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
  state: z.enum(['trial', 'active', 'past_due', 'cancelled', 'expired']),
  seatsTeam: z.number().int(),
  seatsTransfer: z.number().int(),
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const meSchema = z.object({
  user: userSchema,
  tenant: tenantSchema,
  subscription: subscriptionSchema,
  licences: z.array(moduleSchema),
});
export type Me = z.infer<typeof meSchema>;
