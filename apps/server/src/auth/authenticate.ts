import type { Role } from '@mailissa/contracts';
import type { FastifyRequest } from 'fastify';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findSubscribedTenant } from '../tenancy/find-subscribed-tenant.js';
import { recordSignIn } from '../tenancy/record-sign-in.js';
import { rolesOf } from '../tenancy/tenancy.rows.js';
import type { EntraAccessClaims, ValidateAccessToken } from './entra-token-validator.js';

/** Who is calling: a user of one subscribed tenant, recorded at this sign-in. */
export interface Principal {
  tenantId: string;
  userId: string;
  microsoftTenantId: string;
  objectId: string;
  email: string;
  roles: Role[];
  /** The raw access token, kept in memory for on-behalf-of calls; never logged or stored. */
  accessToken: string;
  claims: EntraAccessClaims;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new AppError(401, 'malformed_token', 'The Authorization header must be "Bearer <access token>".');
  }
  return match[1];
}

/**
 * A preHandler that admits only a valid Entra user of a subscribed tenant and records the sign-in.
 */
export function createAuthenticateUser(deps: {
  db: Database;
  validateAccessToken: ValidateAccessToken;
  registrationUrl: string;
}) {
  return async function authenticateUser(request: FastifyRequest): Promise<void> {
    const token = bearerTokenOf(request);
    const claims = await deps.validateAccessToken(token);
    const tenant = await findSubscribedTenant(deps.db, claims.tenantId, deps.registrationUrl);
    const user = await withTenant(deps.db, tenant.id, (tx) =>
      recordSignIn(tx, tenant.id, {
        objectId: claims.objectId,
        email: claims.username,
        displayName: claims.name || claims.username,
      }),
    );
    request.principal = {
      tenantId: tenant.id,
      userId: user.id,
      microsoftTenantId: claims.tenantId,
      objectId: claims.objectId,
      email: user.email,
      roles: rolesOf(user),
      accessToken: token ?? '',
      claims,
    };
  };
}

/** The principal of an authenticated route; a route that forgot its preHandler fails loudly. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError(401, 'missing_token', 'Sign in first.');
  return request.principal;
}
