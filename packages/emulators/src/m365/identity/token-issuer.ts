import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { deterministicGuid } from '../seed/deterministic-id.js';
import type { SeedUser } from '../seed/directory-seed.js';
import type { EmulatorSigningKeys } from './signing-keys.js';

/** Access tokens live an hour here; Entra varies 60–90 minutes, clients must not rely on either. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
export const ID_TOKEN_LIFETIME_SECONDS = 3600;

export interface TokenIssuer {
  issuerFor(tenantId: string): string;
  delegatedAccessToken(input: {
    tenantId: string;
    user: SeedUser;
    audience: string;
    scopes: string[];
    clientId: string;
    clientAuthenticated: boolean;
  }): Promise<string>;
  appAccessToken(input: {
    tenantId: string;
    audience: string;
    roles: string[];
    clientId: string;
  }): Promise<string>;
  idToken(input: {
    tenantId: string;
    user: SeedUser;
    clientId: string;
    nonce: string | undefined;
    includeEmail: boolean;
  }): Promise<string>;
}

/** `sub` is pairwise in Entra: unique per application and user, unrelated to `oid`. */
function pairwiseSubject(clientId: string, userId: string): string {
  return createHash('sha256').update(`${clientId}:${userId}`).digest('base64url').slice(0, 43);
}

/** The object id of our application's service principal in a tenant: what `oid` is in app tokens. */
export function servicePrincipalId(tenantId: string, clientId: string): string {
  return deterministicGuid(`service-principal:${tenantId}:${clientId}`);
}

/** Issues RS256 JWTs with Entra ID v2 claims (docs/microsoft-365.md §3). */
export function createTokenIssuer(deps: {
  keys: EmulatorSigningKeys;
  emulatorBase: string;
  now: () => Date;
}): TokenIssuer {
  const issuerFor = (tenantId: string) => `${deps.emulatorBase}/${tenantId}/v2.0`;
  const sign = async (claims: Record<string, unknown>, lifetimeSeconds: number) => {
    const issuedAt = Math.floor(deps.now().getTime() / 1000);
    return new SignJWT({
      ...claims,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + lifetimeSeconds,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: deps.keys.current.kid })
      .sign(deps.keys.current.privateKey);
  };
  return {
    issuerFor,
    delegatedAccessToken(input) {
      return sign(
        {
          aud: input.audience,
          iss: issuerFor(input.tenantId),
          aio: randomBytes(24).toString('base64url'),
          azp: input.clientId,
          azpacr: input.clientAuthenticated ? '1' : '0',
          idtyp: 'user',
          name: input.user.displayName,
          oid: input.user.id,
          preferred_username: input.user.userPrincipalName,
          rh: '0.emulator.',
          scp: input.scopes.join(' '),
          sub: pairwiseSubject(input.clientId, input.user.id),
          tid: input.tenantId,
        },
        ACCESS_TOKEN_LIFETIME_SECONDS,
      );
    },
    appAccessToken(input) {
      const oid = servicePrincipalId(input.tenantId, input.clientId);
      return sign(
        {
          aud: input.audience,
          iss: issuerFor(input.tenantId),
          azp: input.clientId,
          azpacr: '1',
          // Optional in Entra, on for our app registration: tells app-only from delegated (§3.2).
          idtyp: 'app',
          oid,
          // Present only when it has a value (§3.2): no granted role, no `roles` claim.
          ...(input.roles.length > 0 ? { roles: input.roles } : {}),
          sub: oid,
          tid: input.tenantId,
        },
        ACCESS_TOKEN_LIFETIME_SECONDS,
      );
    },
    idToken(input) {
      return sign(
        {
          aud: input.clientId,
          iss: issuerFor(input.tenantId),
          aio: randomBytes(24).toString('base64url'),
          rh: '0.emulator.',
          ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
          name: input.user.displayName,
          preferred_username: input.user.userPrincipalName,
          ...(input.includeEmail ? { email: input.user.mail } : {}),
          oid: input.user.id,
          sub: pairwiseSubject(input.clientId, input.user.id),
          tid: input.tenantId,
        },
        ID_TOKEN_LIFETIME_SECONDS,
      );
    },
  };
}
