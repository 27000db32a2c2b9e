import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EMULATOR_STYLESHEET, EMULATOR_STYLESHEET_PATH, FORM_POST_SCRIPT } from '../../html.js';
import { type EmulatorContext, parseTenantPath, type TenantPath } from '../emulator-context.js';

const tenantParams = z.object({ tenant: z.string().min(1).max(64) });

const jwksSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      use: z.string(),
      kid: z.string(),
      n: z.string(),
      e: z.string(),
      issuer: z.string(),
    }),
  ),
});

const discoverySchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
});

const notFound = z.object({ error: z.string(), error_description: z.string() });

/**
 * The public, unauthenticated part of the identity provider: the tenant list, OIDC discovery and
 * the signing keys, laid out exactly like Entra ID v2 so the product's code needs only a base URL.
 */
export const discoveryRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const base = context.emulatorBase;

  /**
   * The tenant a path names and the issuer its tokens carry; for the multi-tenant aliases Entra
   * leaves the `{tenantid}` placeholder in the issuer. Undefined for an unknown tenant.
   */
  function tenantOf(tenant: string): { tenantPath: TenantPath; issuer: string } | undefined {
    const tenantPath = parseTenantPath(context, tenant);
    if (!tenantPath) return undefined;
    const issuer =
      tenantPath.kind === 'tenant'
        ? context.tokens.issuerFor(tenantPath.tenantId)
        : `${base}/{tenantid}/v2.0`;
    return { tenantPath, issuer };
  }

  /** Entra's answer for a tenant it does not know. */
  const tenantNotFound = (tenant: string) => ({
    error: 'invalid_tenant',
    error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
  });

  app.get(
    '/emulator/tenants',
    {
      schema: {
        tags: ['emulator'],
        summary: 'The seeded Microsoft 365 tenants of the emulator',
        response: {
          200: z.array(z.object({ tenantId: z.string(), displayName: z.string(), issuer: z.string() })),
        },
      },
    },
    async () =>
      context.directory.tenants.map((tenant) => ({
        tenantId: tenant.tenantId,
        displayName: tenant.displayName,
        issuer: context.tokens.issuerFor(tenant.tenantId),
      })),
  );

  app.get(
    '/emulator/:tenant/v2.0/.well-known/openid-configuration',
    {
      schema: {
        tags: ['emulator'],
        summary: 'OpenID Connect discovery document of an emulated tenant (Entra ID v2 layout)',
        params: tenantParams,
        response: { 200: discoverySchema, 404: notFound },
      },
    },
    async (request, reply) => {
      const found = tenantOf(request.params.tenant);
      if (!found) return reply.status(404).send(tenantNotFound(request.params.tenant));
      const { tenantPath, issuer } = found;
      const segment = tenantPath.kind === 'tenant' ? tenantPath.tenantId : tenantPath.kind;
      return {
        token_endpoint: `${base}/${segment}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${base}/${segment}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/graph/oidc/userinfo`,
        authorization_endpoint: `${base}/${segment}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${segment}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/${segment}/oauth2/v2.0/logout`,
        claims_supported: [
          'sub',
          'iss',
          'cloud_instance_name',
          'cloud_instance_host_name',
          'cloud_graph_host_name',
          'msgraph_host',
          'aud',
          'exp',
          'iat',
          'auth_time',
          'acr',
          'nonce',
          'preferred_username',
          'name',
          'tid',
          'ver',
          'at_hash',
          'c_hash',
          'email',
        ],
        kerberos_endpoint: `${base}/${segment}/kerberos`,
        tenant_region_scope: tenantPath.kind === 'tenant' ? 'EU' : null,
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: new URL(context.graphBase).host,
        rbac_url: 'https://pas.windows.net',
      };
    },
  );

  app.get(
    '/emulator/:tenant/discovery/v2.0/keys',
    {
      schema: {
        tags: ['emulator'],
        summary: 'Signing keys (JWKS) of the emulated identity provider; the same set for every tenant',
        params: tenantParams,
        response: { 200: jwksSchema, 404: notFound },
      },
    },
    async (request, reply) => {
      const found = tenantOf(request.params.tenant);
      if (!found) return reply.status(404).send(tenantNotFound(request.params.tenant));
      const { issuer } = found;
      return {
        keys: context.keys.publicJwks.map((jwk) => ({
          kty: 'RSA',
          use: 'sig',
          kid: jwk.kid ?? '',
          n: jwk.n ?? '',
          e: jwk.e ?? '',
          issuer,
        })),
      };
    },
  );

  // MSAL asks for instance metadata before anything else unless the authority is a known one.
  app.get(
    '/emulator/common/discovery/instance',
    {
      schema: {
        tags: ['emulator'],
        summary: 'Instance discovery metadata as MSAL requests it',
        querystring: z.looseObject({
          'api-version': z.string().optional(),
          authorization_endpoint: z.string().optional(),
        }),
      },
    },
    async () => {
      const host = new URL(base).host;
      return {
        tenant_discovery_endpoint: `${base}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      };
    },
  );

  app.get(EMULATOR_STYLESHEET_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(EMULATOR_STYLESHEET),
  );
  app.get('/emulator/assets/form-post.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(FORM_POST_SCRIPT),
  );
};
