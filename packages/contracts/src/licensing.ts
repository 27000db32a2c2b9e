import { z } from 'zod';
import { administratorContactSchema } from './targets.js';
import { moduleSchema, roleSchema } from './tenancy.js';

/** `GET /portal/api/admin/users`: one page of the tenant's users, searched and sorted on the server. */
export const adminUsersQuerySchema = z.object({
  search: z.string().trim().max(200).optional(),
  sort: z.enum(['name', 'email', 'lastSeen']).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdminUsersQuery = z.infer<typeof adminUsersQuerySchema>;

export const adminUserSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
  licences: z.array(moduleSchema),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const adminUsersPageSchema = z.object({
  users: z.array(adminUserSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AdminUsersPage = z.infer<typeof adminUsersPageSchema>;

/** Seats of one module: how many the subscription has and how many are assigned. */
export const seatUsageSchema = z.object({
  module: moduleSchema,
  seats: z.number().int(),
  assigned: z.number().int(),
});
export type SeatUsage = z.infer<typeof seatUsageSchema>;

/** `GET /portal/api/admin/seats`: usage now and one point per day (oldest first) for the chart. */
export const seatOverviewSchema = z.object({
  modules: z.array(seatUsageSchema),
  history: z.array(
    z.object({
      day: z.iso.date(),
      module: moduleSchema,
      assigned: z.number().int(),
      seats: z.number().int(),
    }),
  ),
});
export type SeatOverview = z.infer<typeof seatOverviewSchema>;

/**
 * `POST /portal/api/admin/licences/assign|unassign`: a module for chosen users, or for every member
 * of a directory group (transitively). All or nothing: if the seats do not reach, nothing is assigned.
 */
export const licenceChangeSchema = z.strictObject({
  module: moduleSchema,
  // Exactly one of the two; the server answers 400 naming them otherwise (after checking the caller).
  userIds: z.array(z.uuid()).min(1).max(1000).optional(),
  groupId: z.uuid().optional(),
});
export type LicenceChange = z.infer<typeof licenceChangeSchema>;

export const licenceChangeResultSchema = z.object({
  module: moduleSchema,
  /** Users whose licence changed now (not those who had it, or lacked it, already). */
  changed: z.number().int(),
  /** Users of a group who were not known to Mailissa yet and were added from the directory. */
  addedFromDirectory: z.number().int(),
  usage: seatUsageSchema,
});
export type LicenceChangeResult = z.infer<typeof licenceChangeResultSchema>;

/** `PUT /portal/api/admin/users/:id/roles/:role` and `DELETE` of the same. */
export const roleParamsSchema = z.object({ id: z.uuid(), role: roleSchema });

/** `GET /portal/api/administrators` (any signed-in user) and `GET /api/administrators` (add-in). */
export const administratorsSchema = z.object({
  userAdministrators: z.array(administratorContactSchema),
  tenantAdministrators: z.array(administratorContactSchema),
});
export type Administrators = z.infer<typeof administratorsSchema>;

/** `GET /portal/api/directory/groups?search=`: groups of the tenant's directory for a picker. */
export const directoryGroupSearchQuerySchema = z.object({
  search: z.string().trim().min(1).max(100),
});
export const directoryGroupsSchema = z.object({
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), description: z.string().nullable() })),
});
export type DirectoryGroups = z.infer<typeof directoryGroupsSchema>;

/** The answer of a role change: the user's roles afterwards. */
export const userRolesSchema = z.object({ id: z.uuid(), roles: z.array(roleSchema) });
export type UserRoles = z.infer<typeof userRolesSchema>;
