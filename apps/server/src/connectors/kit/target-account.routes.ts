import {
  bootstrapQuerySchema,
  connectTargetAccountBodySchema,
  connectTargetAccountResponseSchema,
  targetAccountParamsSchema,
  targetAccountResponseSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { requirePrincipal } from '../../auth/authenticate.js';
import { withTenant } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { errorResponses } from '../../http/error-schemas.js';
import { requireVisibleTarget } from '../../targets/require-visible-target.js';
import { languageOf } from '../../targets/visible-targets.js';
import { connectorFor } from '../connector-registry.js';
import {
  forgetConnectorCredential,
  hasConnectorCredential,
  saveConnectorCredential,
} from './connector-credentials.js';

/**
 * The user's own account for a target whose connector has `credentialKind: 'user'` ("Connect your
 * WebDAV account" in the add-in): whether it is connected, connecting (tested with the system before
 * it is stored, sealed in the credential store), and disconnecting. The secret never comes back.
 */
export const targetAccountRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['transfer'];
  const security = [{ bearer: [] }];
  const headers = z.object({ 'accept-language': z.string().max(500).optional() });

  async function visibleTarget(request: Parameters<typeof requirePrincipal>[0], targetId: string) {
    const principal = requirePrincipal(request);
    const target = await requireVisibleTarget(
      context.db,
      principal.tenantId,
      targetId,
      principal,
      context.memberships,
    );
    const owner = { tenantId: principal.tenantId, userId: principal.userId, targetId: target.id };
    return { principal, target, owner, connector: connectorFor(target.connector_type) };
  }

  app.get(
    '/api/targets/:id/account',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags,
        summary: "Whether the user's own account for this target's system is connected",
        security,
        headers,
        params: targetAccountParamsSchema,
        querystring: bootstrapQuerySchema,
        response: { 200: targetAccountResponseSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { owner, connector } = await visibleTarget(request, request.params.id);
      const language = languageOf(request.query.lang, request.headers['accept-language']);
      const required = connector.credentialKind === 'user';
      const connected = required
        ? await withTenant(context.db, owner.tenantId, (tx) => hasConnectorCredential(tx, owner))
        : true;
      return {
        required,
        connected,
        system: connector.names[language],
        fields: required ? (connector.credentialFields ?? []) : [],
      };
    },
  );

  app.put(
    '/api/targets/:id/account',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags,
        summary: "Connect the user's own account: tested with the system, then stored encrypted",
        security,
        params: targetAccountParamsSchema,
        body: connectTargetAccountBodySchema,
        response: { 200: connectTargetAccountResponseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { owner, connector, target } = await visibleTarget(request, request.params.id);
      if (connector.credentialKind !== 'user') {
        throw new AppError(400, 'invalid_settings', 'credential: this target needs no account of yours.');
      }
      const credential: Record<string, string> = {};
      for (const field of connector.credentialFields ?? []) {
        const value = request.body.credential[field.key]?.trim() ?? '';
        if (field.required && value === '') {
          throw new AppError(400, 'invalid_settings', `credential.${field.key}: is required`);
        }
        // Passwords keep their spaces; only other fields are trimmed.
        credential[field.key] = field.kind === 'secret' ? (request.body.credential[field.key] ?? '') : value;
      }
      const settings = connector.validateSettings(target.settings);
      const graph = context.graphFor(requirePrincipal(request).microsoftTenantId, { profile: 'request' });
      const test = await connector.testConnection(
        { graph, fetch: context.connectorFetch, credential },
        settings,
      );
      if (!test.ok) throw new AppError(400, 'credential_test_failed', test.message);
      await withTenant(context.db, owner.tenantId, (tx) =>
        saveConnectorCredential(tx, context.credentials, owner, credential),
      );
      return { connected: true as const, message: test.message };
    },
  );

  app.delete(
    '/api/targets/:id/account',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags,
        summary: "Disconnect the user's own account for this target (deletes the stored credential)",
        security,
        params: targetAccountParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { owner } = await visibleTarget(request, request.params.id);
      await withTenant(context.db, owner.tenantId, (tx) => forgetConnectorCredential(tx, owner));
      return reply.status(204).send(null);
    },
  );
};
