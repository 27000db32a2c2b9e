import {
  idParamsSchema,
  revokedCredentialsResponseSchema,
  storedCredentialListResponseSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireRole } from '../web-session/authenticate-session.js';
import { listStoredCredentials, listTargetSecrets, revokeCredentials } from './credential-store.js';

/**
 * "Manage passwords": who stored credentials for which target (revocable), and the secrets the tenant
 * holds for its targets (renewed at the target, docs/decisions/147). Never shows a secret.
 */
export const credentialsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['portal'];
  const preHandler = context.authenticateSession;

  app.get(
    '/portal/api/credentials',
    {
      preHandler,
      schema: {
        tags,
        summary:
          "Who has stored credentials for which target, and the tenant's own target secrets, with when last used (tenant administrators)",
        response: { 200: storedCredentialListResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      return withTenant(context.db, session.tenantId, async (tx) => ({
        credentials: await listStoredCredentials(tx, session.tenantId),
        targetSecrets: await listTargetSecrets(tx, session.tenantId),
      }));
    },
  );

  app.delete(
    '/portal/api/credentials/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Revoke one stored credential (tenant administrators)',
        params: idParamsSchema,
        response: { 200: revokedCredentialsResponseSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const revoked = await withTenant(context.db, session.tenantId, (tx) =>
        revokeCredentials(
          tx,
          session.tenantId,
          { userId: session.userId, name: session.displayName },
          {
            credentialId: request.params.id,
          },
        ),
      );
      return { revoked };
    },
  );

  app.delete(
    '/portal/api/users/:id/credentials',
    {
      preHandler,
      schema: {
        tags,
        summary: "Revoke all of one user's stored credentials (tenant administrators)",
        params: idParamsSchema,
        response: { 200: revokedCredentialsResponseSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const session = requireRole(request, 'tenant_administrator');
      const revoked = await withTenant(context.db, session.tenantId, async (tx) => {
        // A user of another tenant (or none) does not exist here: 404, as for any row not ours.
        const user = await tx.query('select 1 from users where tenant_id = $1 and id = $2', [
          session.tenantId,
          request.params.id,
        ]);
        if (user.rowCount === 0) throw new AppError(404, 'user_not_found', 'This user does not exist.');
        return revokeCredentials(
          tx,
          session.tenantId,
          { userId: session.userId, name: session.displayName },
          { userId: request.params.id },
        );
      });
      return { revoked };
    },
  );
};
