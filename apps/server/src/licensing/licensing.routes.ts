import {
  administratorsSchema,
  adminUsersPageSchema,
  adminUsersQuerySchema,
  licenceChangeResultSchema,
  licenceChangeSchema,
  roleParamsSchema,
  seatOverviewSchema,
  userRolesSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { findMicrosoftTenantId } from '../directory/find-microsoft-tenant-id.js';
import { listGroupMemberUsers } from '../directory/list-group-member-users.js';
import { AppError } from '../errors/app-error.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import { errorResponses } from '../http/error-schemas.js';
import { announceTenantChangesOf } from '../targets/bump-tenant-config.js';
import { requireRole, requireSession } from '../web-session/authenticate-session.js';
import { addDirectoryUsers } from './add-directory-users.js';
import { assignLicences } from './assign-licences.js';
import { getSeatOverview } from './get-seat-overview.js';
import { listAdminUsers } from './list-admin-users.js';
import { listAdministrators } from './list-administrators.js';
import { setUserRole } from './set-user-role.js';
import { unassignLicences } from './unassign-licences.js';

/**
 * Users, licences within seats and admin roles (portal, cookie session), and who the administrators
 * are (portal and add-in). User administrators manage licences; tenant administrators manage roles.
 */
export const licensingRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context;
  const graphFor = tenantGraphFactory(context.config);
  announceTenantChangesOf(app, context);

  app.get(
    '/portal/api/administrators',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "Who the organisation's administrators are (names and e-mail), for any signed-in user",
        response: { 200: administratorsSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const session = requireSession(request);
      return withTenant(db, session.tenantId, (tx) => listAdministrators(tx, session.tenantId));
    },
  );

  app.get(
    '/api/administrators',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['tenancy'],
        summary: "Who the organisation's administrators are (names and e-mail), for the add-in",
        security: [{ bearer: [] }],
        headers: z.object({ authorization: z.string().optional() }),
        response: { 200: administratorsSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return withTenant(db, principal.tenantId, (tx) => listAdministrators(tx, principal.tenantId));
    },
  );

  app.get(
    '/portal/api/admin/users',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: "One page of the organisation's users, searched and sorted (user administrators)",
        querystring: adminUsersQuerySchema,
        response: { 200: adminUsersPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      return withTenant(db, session.tenantId, (tx) => listAdminUsers(tx, session.tenantId, request.query));
    },
  );

  app.get(
    '/portal/api/admin/seats',
    {
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary: 'Seats per module, how many are assigned, and usage per day (user administrators)',
        response: { 200: seatOverviewSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'user_administrator');
      return withTenant(db, session.tenantId, (tx) => getSeatOverview(tx, session.tenantId, context.now()));
    },
  );

  for (const operation of ['assign', 'unassign'] as const) {
    app.post(
      `/portal/api/admin/licences/${operation}`,
      {
        preHandler: context.authenticateSession,
        schema: {
          tags: ['portal'],
          summary:
            operation === 'assign'
              ? "Assigns a module's licence to chosen users or a group's members, within the seats (user administrators)"
              : "Takes a module's licence from chosen users or a group's members (user administrators)",
          description:
            operation === 'assign'
              ? 'All or nothing: 409 `no_seats_left` when the free seats do not reach. Members of a group who never used Mailissa are added from the directory.'
              : undefined,
          body: licenceChangeSchema,
          response: {
            200: licenceChangeResultSchema,
            ...errorResponses(400, 401, 403, 404, 409, 422, 502, 503),
          },
        },
      },
      async (request) => {
        const session = requireRole(request, 'user_administrator');
        const { module, userIds, groupId } = request.body;
        // Either chosen users or a group's members, checked once the caller is known to be allowed.
        if ((userIds === undefined) === (groupId === undefined)) {
          throw new AppError(400, 'invalid_request', 'userIds, groupId: give either userIds or groupId.');
        }
        const actor = { userId: session.userId, name: session.displayName };
        // The directory is read before the transaction: no lock is held while Graph answers.
        const members = groupId
          ? await listGroupMemberUsers(
              graphFor(
                await withTenant(db, session.tenantId, (tx) => findMicrosoftTenantId(tx, session.tenantId)),
                { profile: 'request' },
              ),
              groupId,
            )
          : null;
        return withTenant(db, session.tenantId, async (tx) => {
          let ids = userIds ?? [];
          let addedFromDirectory = 0;
          if (members) {
            if (operation === 'assign') {
              const added = await addDirectoryUsers(tx, session.tenantId, members);
              ids = added.userIds;
              addedFromDirectory = added.added;
            } else {
              const known = await tx.query<{ id: string }>(
                'select id from users where tenant_id = $1 and entra_object_id = any($2::uuid[])',
                [session.tenantId, members.map((member) => member.objectId)],
              );
              ids = known.rows.map((row) => row.id);
            }
          }
          const change = operation === 'assign' ? assignLicences : unassignLicences;
          const result = await change(tx, session.tenantId, actor, module, ids);
          return { module, changed: result.changed, addedFromDirectory, usage: result.usage };
        });
      },
    );
  }

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/portal/api/admin/users/:id/roles/:role',
      preHandler: context.authenticateSession,
      schema: {
        tags: ['portal'],
        summary:
          method === 'PUT'
            ? 'Grants a user an admin role (tenant administrators)'
            : 'Revokes an admin role; the last tenant administrator stays (tenant administrators)',
        params: roleParamsSchema,
        response: { 200: userRolesSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
      handler: async (request) => {
        const session = requireRole(request, 'tenant_administrator');
        const { id, role } = request.params;
        const roles = await withTenant(db, session.tenantId, (tx) =>
          setUserRole(
            tx,
            session.tenantId,
            { userId: session.userId, name: session.displayName },
            id,
            role,
            method === 'PUT',
          ),
        );
        return { id, roles };
      },
    });
  }
};
