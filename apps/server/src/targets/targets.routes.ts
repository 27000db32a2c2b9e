import {
  bootstrapQuerySchema,
  bootstrapResponseSchema,
  listTargetsResponseSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { createBootstrapBuilder } from '../bootstrap/build-bootstrap.js';
import { withTenant } from '../db/database.js';
import { sendPrecompressedJson } from '../http/compression.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireTransferLicence } from './require-transfer-licence.js';
import { languageOf, toTargetSummary, visibleTargets } from './visible-targets.js';

const headers = z.object({
  authorization: z.string().optional(),
  'accept-language': z.string().max(500).optional(),
});

export const targetsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const buildBootstrap = createBootstrapBuilder(context, {
    validate: context.config.nodeEnv !== 'production',
  });

  app.get(
    '/api/targets',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: 'The targets visible to the user, in their language (needs a Transfer licence)',
        description:
          'Only enabled targets that are visible to everyone or to the user or one of their groups ' +
          '(transitively). A user without a Transfer licence gets 403 `no_licence` with ' +
          '`administrators: [{ displayName, email }]`.',
        security: [{ bearer: [] }],
        headers,
        querystring: bootstrapQuerySchema,
        response: { 200: listTargetsResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await withTenant(context.db, principal.tenantId, (tx) =>
        requireTransferLicence(tx, principal.tenantId, principal.userId),
      );
      const config = await context.tenantConfig.get(principal.tenantId);
      const language = languageOf(
        request.query.lang,
        request.headers['accept-language'],
        config.defaultLanguage,
      );
      const targets = await visibleTargets(config, principal, context.memberships);
      return { targets: targets.map((target) => toTargetSummary(config, target, language)) };
    },
  );

  app.get(
    '/api/bootstrap',
    {
      preHandler: context.authenticateUser,
      schema: {
        tags: ['transfer'],
        summary: "The add-in's start: user, roles, licences and visible targets by category",
        description:
          'One request for everything the add-in shows first, in the language of `lang` (else ' +
          'the first language of Accept-Language if English or German, else the tenant’s default language). Without a Transfer licence `groups` is empty and ' +
          '`administrators` names whom to ask.',
        security: [{ bearer: [] }],
        headers,
        querystring: bootstrapQuerySchema,
        response: { 200: bootstrapResponseSchema, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      // The tenant's configuration is cached (decision 018); buildBootstrap reads the same entry.
      const { defaultLanguage } = await context.tenantConfig.get(principal.tenantId);
      const language = languageOf(request.query.lang, request.headers['accept-language'], defaultLanguage);
      // Already serialised (and checked against the schema when built) and compressed once: sent as it is.
      return sendPrecompressedJson(request, reply, await buildBootstrap(principal, language));
    },
  );
};
