import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * A stand-in identity provider for token-validation tests: a real HTTP server publishing a JWKS at
 * Entra's path, and a signer for tokens of any shape (valid or deliberately broken).
 */
export interface TestIssuer {
  authorityBase: string;
  kid: string;
  issuerFor(tenantId: string): string;
  sign(claims: JWTPayload, options?: { kid?: string; key?: PrivateKey }): Promise<string>;
  /** A fresh key pair that the JWKS does not publish. */
  foreignKey(): Promise<PrivateKey>;
  publicJwk: JWK;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const server: Server = createServer((request, response) => {
    if (request.url === '/common/discovery/v2.0/keys') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const authorityBase = `http://127.0.0.1:${port}`;

  return {
    authorityBase,
    kid,
    publicJwk,
    issuerFor: (tenantId) => `${authorityBase}/${tenantId}/v2.0`,
    async sign(claims, options = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid })
        .sign(options.key ?? privateKey);
    },
    async foreignKey() {
      return (await generateKeyPair('RS256')).privateKey;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TokenSubject {
  tenantId: string;
  objectId: string;
  audience: string;
  email: string;
  name: string;
}

/**
 * The claims of a valid v2 access token for our API, before any test breaks one of them. Written from
 * Microsoft's claims reference, not from the emulator, so the two cannot share a mistake.
 */
export function accessTokenClaims(
  issuer: TestIssuer,
  input: TokenSubject,
  nowSeconds = Math.floor(Date.now() / 1000),
): JWTPayload {
  return {
    iss: issuer.issuerFor(input.tenantId),
    aud: input.audience,
    tid: input.tenantId,
    oid: input.objectId,
    sub: `sub-${input.objectId}`,
    azp: input.audience,
    azpacr: '0',
    preferred_username: input.email,
    name: input.name,
    scp: 'access_as_user',
    ver: '2.0',
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 3600,
  };
}

/**
 * A client-credentials token of an application for our API: `roles` instead of `scp`, `sub` equal to
 * the service principal's `oid`, no user claims; `idtyp: "app"` only if that optional claim is on.
 */
export function appOnlyTokenClaims(
  issuer: TestIssuer,
  input: { tenantId: string; audience: string; roles?: string[]; withIdtyp?: boolean },
  nowSeconds = Math.floor(Date.now() / 1000),
): JWTPayload {
  const servicePrincipal = randomUUID();
  return {
    iss: issuer.issuerFor(input.tenantId),
    aud: input.audience,
    tid: input.tenantId,
    oid: servicePrincipal,
    sub: servicePrincipal,
    azp: randomUUID(),
    azpacr: '1',
    ...(input.roles && input.roles.length > 0 ? { roles: input.roles } : {}),
    ...(input.withIdtyp ? { idtyp: 'app' } : {}),
    ver: '2.0',
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 3600,
  };
}

/** An ID token of the client that signed in: `aud` is the client id (ours), `nonce`, no `scp`. */
export function idTokenClaims(
  issuer: TestIssuer,
  input: TokenSubject,
  nowSeconds = Math.floor(Date.now() / 1000),
): JWTPayload {
  return {
    iss: issuer.issuerFor(input.tenantId),
    aud: input.audience,
    tid: input.tenantId,
    oid: input.objectId,
    sub: `sub-${input.objectId}`,
    nonce: randomUUID(),
    preferred_username: input.email,
    name: input.name,
    sid: randomUUID(),
    ver: '2.0',
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 3600,
  };
}
