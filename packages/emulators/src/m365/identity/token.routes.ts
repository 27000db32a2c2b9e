import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext, TenantPath } from '../emulator-context.js';
import { parseTenantPath } from '../emulator-context.js';
import { OPERATOR_TENANT_ID } from '../seed/tenant-ids.js';
import { OAuthError, oauthErrorBody } from './oauth-errors.js';
import {
  API_SCOPE,
  GRAPH_APPLICATION_ROLES,
  GRAPH_RESOURCE,
  grantedScopeString,
  MARKETPLACE_RESOURCE,
  parseScopes,
  type RequestedScopes,
} from './scopes.js';
import { ACCESS_TOKEN_LIFETIME_SECONDS } from './token-issuer.js';
import { TokenVerificationError, verifyEmulatorToken } from './verify-token.js';

const field = z.string().max(16_384).optional();

const tokenRequest = z.looseObject({
  grant_type: field,
  client_id: field,
  client_secret: field,
  scope: field,
  code: field,
  redirect_uri: field,
  code_verifier: field,
  refresh_token: field,
  assertion: field,
  requested_token_use: field,
  client_info: field,
});
type TokenRequest = z.infer<typeof tokenRequest>;

const tokenResponse = z.object({
  token_type: z.literal('Bearer'),
  scope: z.string().optional(),
  expires_in: z.number(),
  ext_expires_in: z.number(),
  access_token: z.string(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  client_info: z.string().optional(),
});
type TokenResponse = z.infer<typeof tokenResponse>;

const oauthError = z.object({
  error: z.string(),
  error_description: z.string(),
  error_codes: z.array(z.number()),
  timestamp: z.string(),
  trace_id: z.string(),
  correlation_id: z.string(),
  error_uri: z.string(),
});

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function missing(name: string): OAuthError {
  return new OAuthError(
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}

function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

function malformedBasic(): OAuthError {
  return new OAuthError('invalid_client', 7000216, 'The Basic credentials are malformed.', 401);
}

/** `decodeURIComponent`, but a stray `%` is the client's error (401), not ours (500). */
function decodeBasicPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw malformedBasic();
  }
}

/**
 * Client credentials from the body (client_secret_post) or the Authorization header
 * (client_secret_basic: base64 of the form-encoded `client_id:client_secret`, RFC 6749 §2.3.1).
 * Any header that says `Basic` but does not hold exactly that is Entra's 401 `invalid_client`.
 */
function clientCredentials(
  body: TokenRequest,
  authorization: string | undefined,
): { clientId: string | undefined; secret: string | undefined } {
  if (authorization && /^Basic(\s|$)/i.test(authorization)) {
    const encoded = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization)?.[1];
    if (!encoded) throw malformedBasic();
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw malformedBasic();
    const clientId = decodeBasicPart(decoded.slice(0, colon));
    const secret = decodeBasicPart(decoded.slice(colon + 1));
    if (body.client_id && body.client_id !== clientId) {
      throw new OAuthError(
        'invalid_client',
        700016,
        'client_id in the body differs from the Basic credentials.',
        401,
      );
    }
    return { clientId, secret };
  }
  return { clientId: body.client_id, secret: body.client_secret };
}

/**
 * The token endpoint: authorization code (PKCE), refresh token (rotating), client credentials and
 * on-behalf-of, with Entra's error bodies so client code meets the same failures it will meet live.
 */
export const tokenRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (app, { context }) => {
  const clientId = context.options.app.clientId;

  app.setErrorHandler((error, request, reply) => {
    const correlation =
      typeof request.headers['client-request-id'] === 'string'
        ? request.headers['client-request-id']
        : undefined;
    if (error instanceof OAuthError) {
      return reply.status(error.status).send(oauthErrorBody(error, context.now(), correlation));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation
        .map((issue) => issue.instancePath.replace(/^\//, '') || 'body')
        .join(', ');
      const invalid = new OAuthError(
        'invalid_request',
        900144,
        `The request has an invalid parameter: ${fields}.`,
      );
      return reply.status(400).send(oauthErrorBody(invalid, context.now(), correlation));
    }
    throw error;
  });

  async function tokensFor(input: {
    tenantId: string;
    userId: string;
    scopes: RequestedScopes;
    clientAuthenticated: boolean;
    nonce?: string | undefined;
    wantsClientInfo: boolean;
    refresh?: { scope: string; publicClient: boolean; signedInAt: number };
  }): Promise<TokenResponse> {
    const user = context.directory.userById(input.userId);
    if (!user || user.tenantId !== input.tenantId) {
      throw new OAuthError('invalid_grant', 50034, 'The user account does not exist in the directory.');
    }
    // A token is for one resource: the first one named (Entra's rule); OIDC-only requests get Graph.
    const resource = input.scopes.resources[0] ?? 'graph';
    if (resource === 'marketplace') {
      throw new OAuthError(
        'invalid_scope',
        70011,
        'The marketplace API accepts application tokens only: use the client credentials grant.',
      );
    }
    const permissions =
      resource === 'api'
        ? [API_SCOPE]
        : input.scopes.graph.size > 0
          ? [...input.scopes.graph]
          : ['User.Read'];
    const accessToken = await context.tokens.delegatedAccessToken({
      tenantId: input.tenantId,
      user,
      audience: resource === 'api' ? clientId : GRAPH_RESOURCE,
      scopes: permissions,
      clientId,
      clientAuthenticated: input.clientAuthenticated,
    });
    const oidc = [...input.scopes.oidc];
    const response: TokenResponse = {
      token_type: 'Bearer',
      scope: grantedScopeString(resource, permissions, oidc, clientId),
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS - 1,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS - 1,
      access_token: accessToken,
    };
    if (input.scopes.oidc.has('openid')) {
      response.id_token = await context.tokens.idToken({
        tenantId: input.tenantId,
        user,
        clientId,
        nonce: input.nonce,
        includeEmail: input.scopes.oidc.has('email'),
      });
    }
    if (input.refresh && input.scopes.oidc.has('offline_access')) {
      response.refresh_token = context.grants.issueRefreshToken({
        clientId,
        tenantId: input.tenantId,
        userId: input.userId,
        scope: input.refresh.scope,
        publicClient: input.refresh.publicClient,
        signedInAt: input.refresh.signedInAt,
      });
    }
    if (input.wantsClientInfo) {
      response.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString(
        'base64url',
      );
    }
    return response;
  }

  function checkTenantMatches(tenantPath: TenantPath, tenantId: string): void {
    if (tenantPath.kind === 'tenant' && tenantPath.tenantId !== tenantId) {
      throw new OAuthError(
        'invalid_grant',
        50020,
        `The grant was issued in tenant '${tenantId}', not in this one.`,
      );
    }
  }

  function scopesFrom(scope: string): RequestedScopes {
    const scopes = parseScopes(scope, clientId);
    if (scopes.unknown.length > 0) {
      throw new OAuthError(
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope '${scopes.unknown.join(' ')}' does not exist.`,
      );
    }
    return scopes;
  }

  app.post(
    '/emulator/:tenant/oauth2/v2.0/token',
    {
      schema: {
        tags: ['emulator'],
        summary:
          'Token endpoint of an emulated tenant (authorization_code, refresh_token, client_credentials, OBO)',
        consumes: ['application/x-www-form-urlencoded'],
        params: z.object({ tenant: z.string().min(1).max(64) }),
        headers: z.looseObject({ authorization: z.string().optional() }),
        body: tokenRequest.optional(),
        response: { 200: tokenResponse, 400: oauthError, 401: oauthError },
      },
    },
    async (request) => {
      const contentType = request.headers['content-type'] ?? '';
      const body = request.body;
      if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded') || !body) {
        throw new OAuthError(
          'invalid_request',
          900144,
          "The request body must be application/x-www-form-urlencoded and contain the parameter 'grant_type'.",
        );
      }
      const tenantPath = parseTenantPath(context, request.params.tenant);
      if (!tenantPath) {
        throw new OAuthError('invalid_request', 90002, `Tenant '${request.params.tenant}' not found.`);
      }
      const grantType = body.grant_type;
      if (!grantType) throw missing('grant_type');
      const credentials = clientCredentials(body, request.headers.authorization);
      if (!credentials.clientId) throw missing('client_id');
      if (credentials.clientId.toLowerCase() !== clientId.toLowerCase()) {
        throw new OAuthError(
          'unauthorized_client',
          700016,
          `Application with identifier '${credentials.clientId}' was not found in the directory.`,
        );
      }
      const secret = credentials.secret;
      const expected = context.options.app.clientSecret;
      if (secret !== undefined && !secretsEqual(secret, expected)) {
        throw new OAuthError(
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.',
          401,
        );
      }
      const clientAuthenticated = secret !== undefined;
      const requireSecret = () => {
        if (!clientAuthenticated) {
          throw new OAuthError(
            'invalid_client',
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            401,
          );
        }
      };
      const wantsClientInfo = body.client_info === '1';

      switch (grantType) {
        case 'authorization_code': {
          if (!body.code) throw missing('code');
          if (!body.redirect_uri) throw missing('redirect_uri');
          const grant = context.grants.redeemCode(body.code);
          if (grant === 'unknown') {
            throw new OAuthError(
              'invalid_grant',
              9002313,
              'Invalid request. The authorization code is malformed or unknown.',
            );
          }
          if (grant === 'expired') {
            throw new OAuthError(
              'invalid_grant',
              70008,
              'The provided authorization code or refresh token has expired.',
            );
          }
          if (grant === 'redeemed') {
            throw new OAuthError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed.');
          }
          checkTenantMatches(tenantPath, grant.tenantId);
          if (grant.redirectUri !== body.redirect_uri) {
            throw new OAuthError(
              'invalid_grant',
              50011,
              `The redirect URI '${body.redirect_uri}' does not match the one used in the authorization request.`,
            );
          }
          if (!body.code_verifier) throw missing('code_verifier');
          const challenge = createHash('sha256').update(body.code_verifier).digest('base64url');
          if (challenge !== grant.codeChallenge) {
            throw new OAuthError(
              'invalid_grant',
              501481,
              'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
            );
          }
          const authorized = scopesFrom(grant.scope);
          // The token request may narrow to one resource; OIDC scopes stay those of the sign-in.
          const requested = body.scope ? scopesFrom(body.scope) : authorized;
          requested.oidc = authorized.oidc;
          return tokensFor({
            tenantId: grant.tenantId,
            userId: grant.userId,
            scopes: requested,
            clientAuthenticated,
            nonce: grant.nonce,
            wantsClientInfo,
            refresh: { scope: grant.scope, publicClient: !clientAuthenticated, signedInAt: grant.issuedAt },
          });
        }
        case 'refresh_token': {
          if (!body.refresh_token) throw missing('refresh_token');
          const grant = context.grants.consumeRefreshToken(body.refresh_token);
          if (grant === 'unknown') {
            throw new OAuthError(
              'invalid_grant',
              70000,
              "The provided value for 'refresh_token' is not valid or was already used.",
            );
          }
          if (grant === 'expired') {
            throw new OAuthError('invalid_grant', 700084, 'The refresh token has expired; sign in again.');
          }
          checkTenantMatches(tenantPath, grant.tenantId);
          if (!grant.publicClient) requireSecret();
          const original = scopesFrom(grant.scope);
          const requested = body.scope ? scopesFrom(body.scope) : original;
          requested.oidc = new Set([...requested.oidc].filter((scope) => original.oidc.has(scope)));
          if (original.oidc.has('offline_access')) requested.oidc.add('offline_access');
          return tokensFor({
            tenantId: grant.tenantId,
            userId: grant.userId,
            scopes: requested,
            clientAuthenticated,
            wantsClientInfo,
            refresh: { scope: grant.scope, publicClient: grant.publicClient, signedInAt: grant.signedInAt },
          });
        }
        case 'client_credentials': {
          requireSecret();
          if (tenantPath.kind === 'common') {
            throw new OAuthError(
              'invalid_request',
              9001023,
              "The client credentials grant is not supported on '/common'; use a tenant ID or '/organizations'.",
            );
          }
          // `organizations` means the app's home tenant: Mailissa is registered in the operator's.
          const tenantId = tenantPath.kind === 'tenant' ? tenantPath.tenantId : OPERATOR_TENANT_ID;
          if (!body.scope) throw missing('scope');
          const scopes = scopesFrom(body.scope);
          const onlyDefault = body.scope.trim().split(/\s+/).length === 1 && scopes.defaultFor.size === 1;
          if (!onlyDefault) {
            throw new OAuthError(
              'invalid_scope',
              1002012,
              `The provided value for scope ${body.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
            );
          }
          const graph = scopes.defaultFor.has('graph');
          const marketplace = scopes.defaultFor.has('marketplace');
          const accessToken = await context.tokens.appAccessToken({
            tenantId,
            audience: graph ? GRAPH_RESOURCE : marketplace ? MARKETPLACE_RESOURCE : clientId,
            roles: graph ? GRAPH_APPLICATION_ROLES : [],
            clientId,
          });
          return {
            token_type: 'Bearer' as const,
            expires_in: ACCESS_TOKEN_LIFETIME_SECONDS - 1,
            ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS - 1,
            access_token: accessToken,
          };
        }
        case JWT_BEARER: {
          requireSecret();
          if (body.requested_token_use !== 'on_behalf_of') throw missing('requested_token_use');
          if (!body.assertion) throw missing('assertion');
          if (!body.scope) throw missing('scope');
          let claims: Awaited<ReturnType<typeof verifyEmulatorToken>>;
          try {
            claims = await verifyEmulatorToken(context, body.assertion, [clientId]);
          } catch (error) {
            if (!(error instanceof TokenVerificationError)) throw error;
            if (error.problem === 'audience') {
              throw new OAuthError(
                'invalid_grant',
                500131,
                'Assertion audience does not match the Client app presenting the assertion.',
              );
            }
            if (error.problem === 'expired') {
              throw new OAuthError('invalid_grant', 500133, 'Assertion is not within its valid time range.');
            }
            throw new OAuthError(
              'invalid_grant',
              50013,
              `Assertion failed signature validation. ${error.message}`,
            );
          }
          checkTenantMatches(tenantPath, claims.tid);
          if (typeof claims.scp !== 'string' || typeof claims.oid !== 'string') {
            throw new OAuthError('invalid_grant', 50013, 'The assertion is not a delegated user token.');
          }
          const scopes = scopesFrom(body.scope);
          if (scopes.resources[0] !== 'graph') {
            throw new OAuthError(
              'invalid_scope',
              70011,
              'On-behalf-of needs the scopes of a downstream API such as https://graph.microsoft.com/.default.',
            );
          }
          return tokensFor({
            tenantId: claims.tid,
            userId: claims.oid,
            scopes,
            clientAuthenticated,
            wantsClientInfo,
            refresh: { scope: body.scope, publicClient: false, signedInAt: context.now().getTime() },
          });
        }
        default:
          throw new OAuthError(
            'unsupported_grant_type',
            70003,
            `The grant type '${grantType}' is not supported.`,
          );
      }
    },
  );
};
