import type { Role } from '@mailissa/contracts';
import type { FastifyRequest } from 'fastify';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findSubscribedTenant } from '../tenancy/find-subscribed-tenant.js';
import { recordSignIn } from '../tenancy/record-sign-in.js';
import { rolesOf, type TenantRow, type UserRow } from '../tenancy/tenancy.rows.js';
import type { EntraAccessClaims, ValidateAccessToken } from './entra-token-validator.js';

/** Who is calling: a user of one subscribed tenant, recorded at this sign-in. */
export interface Principal {
  tenantId: string;
  userId: string;
  microsoftTenantId: string;
  objectId: string;
  email: string;
  displayName: string;
  tenantName: string;
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
 * How long a known user's tenant and user row are reused without asking the database. Changes made
 * through the portal drop them at once (TenantConfigCache.onInvalidate); the bound covers changes
 * the portal does not announce, and keeps "last seen" (written every 5 minutes) honest.
 */
const SIGNED_IN_TTL_MS = 30_000;
const MAX_SIGNED_IN = 100_000;

interface SignedIn {
  tenant: TenantRow;
  user: UserRow;
  email: string;
  displayName: string;
  cachedAt: number;
}

/**
 * A preHandler that admits only a valid Entra user of a subscribed tenant and records the sign-in.
 * A user seen within SIGNED_IN_TTL_MS costs no database round trip (decision 018).
 */
export function createAuthenticateUser(deps: {
  db: Database;
  validateAccessToken: ValidateAccessToken;
  registrationUrl: string;
  now?: () => Date;
  /** Subscribes the cache to tenant changes (tenant id, or null for all). */
  onTenantChange?: (listener: (tenantId: string | null) => void) => void;
}) {
  const now = deps.now ?? (() => new Date());
  const signedIn = new Map<string, SignedIn>();
  deps.onTenantChange?.((tenantId) => {
    if (tenantId === null) signedIn.clear();
    else for (const [key, entry] of signedIn) if (entry.tenant.id === tenantId) signedIn.delete(key);
  });

  async function recordOrReuse(claims: Awaited<ReturnType<ValidateAccessToken>>): Promise<SignedIn> {
    const key = `${claims.tenantId}:${claims.objectId}`;
    const displayName = claims.name || claims.username;
    const cached = signedIn.get(key);
    const nowMs = now().getTime();
    if (
      cached &&
      nowMs - cached.cachedAt < SIGNED_IN_TTL_MS &&
      cached.email === claims.username &&
      cached.displayName === displayName
    ) {
      return cached;
    }
    const tenant = await findSubscribedTenant(deps.db, claims.tenantId, deps.registrationUrl);
    const user = await withTenant(deps.db, tenant.id, (tx) =>
      recordSignIn(tx, tenant.id, { objectId: claims.objectId, email: claims.username, displayName }),
    );
    const entry = { tenant, user, email: claims.username, displayName, cachedAt: nowMs };
    if (signedIn.size >= MAX_SIGNED_IN) {
      const oldest = signedIn.keys().next().value;
      if (oldest !== undefined) signedIn.delete(oldest);
    }
    signedIn.delete(key);
    signedIn.set(key, entry);
    return entry;
  }

  return async function authenticateUser(request: FastifyRequest): Promise<void> {
    const token = bearerTokenOf(request);
    const claims = await deps.validateAccessToken(token);
    const { tenant, user } = await recordOrReuse(claims);
    request.principal = {
      tenantId: tenant.id,
      userId: user.id,
      microsoftTenantId: claims.tenantId,
      objectId: claims.objectId,
      email: user.email,
      displayName: user.display_name,
      tenantName: tenant.name,
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
