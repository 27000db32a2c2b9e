import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AppError } from '../errors/app-error.js';
import { MARKETPLACE_RESOURCE_ID } from './marketplace-client.js';

export interface WebhookTokenOptions {
  /** Entra's authority (the emulator's in demo mode): its JWKS signs the marketplace's tokens. */
  authorityBase: string;
  /** The tenant our app registration lives in: the tokens' issuer tenant. */
  publisherTenantId: string;
  /** Our app registration's client id: the tokens' audience. */
  clientId: string;
  now: () => Date;
}

const refused = (detail: string) =>
  new AppError(401, 'marketplace_token_invalid', 'The webhook call carries no valid marketplace token.', {
    detail,
  });

/**
 * The marketplace's webhook calls carry an Entra access token (Microsoft's advice: validate it): signed
 * by a key of Entra's JWKS, issued in our publisher tenant, for our app (audience), and obtained by
 * the marketplace's own application (`azp`, or `appid` in a v1 token).
 */
export function createWebhookTokenVerifier(options: WebhookTokenOptions) {
  const jwks = createRemoteJWKSet(new URL(`${options.authorityBase}/common/discovery/v2.0/keys`), {
    cooldownDuration: 30_000,
    cacheMaxAge: 24 * 60 * 60 * 1000,
  });
  const issuers = [
    `${options.authorityBase}/${options.publisherTenantId}/v2.0`,
    // v1 tokens (the marketplace may request them): Entra's v1 issuer of the same tenant.
    `https://sts.windows.net/${options.publisherTenantId}/`,
  ];
  return async function verifyWebhookToken(authorization: string | undefined): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw refused('no bearer token');
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['RS256'],
        issuer: issuers,
        audience: [options.clientId, `api://${options.clientId}`],
        clockTolerance: 120,
        currentDate: options.now(),
      }));
    } catch (error) {
      throw refused(error instanceof Error ? `${error.name}: ${error.message}` : 'verification failed');
    }
    const caller = payload.azp ?? payload.appid;
    if (caller !== MARKETPLACE_RESOURCE_ID) throw refused(`caller ${String(caller)} is not the marketplace`);
  };
}
