import { acquireToken, type EmulatorSession } from './emulator-auth.js';

/**
 * The emulator page as the nested-app-authentication broker, the role Outlook plays for a real add-in:
 * MSAL in the task pane sends JSON envelopes over `window.nestedAppAuthBridge` (provided by the
 * Office.js stand-in), and gets tokens for the signed-in user back. The message shapes are MSAL's
 * (BridgeRequestEnvelope / BridgeResponseEnvelope in @azure/msal-browser's naa folder).
 */
interface BridgeTokenParams {
  clientId: string;
  scope: string;
  correlationId?: string;
}

interface BridgeRequest {
  messageType: 'NestedAppAuthRequest';
  method: 'GetToken' | 'GetInitContext' | 'GetTokenPopup';
  requestId: string;
  tokenParams?: BridgeTokenParams;
}

interface BridgeResponse {
  messageType: 'NestedAppAuthResponse';
  requestId: string;
  success: boolean;
  token?: {
    access_token: string;
    expires_in: number;
    id_token: string;
    scope: string;
    properties: null;
    authority?: string;
  };
  account?: {
    homeAccountId: string;
    environment: string;
    tenantId: string;
    username: string;
    localAccountId: string;
    name: string;
    loginHint?: string;
  };
  initContext?: { sdkName: string; sdkVersion: string; capabilities: { queryAccount: boolean } };
  error?: { status: string; code?: string; description?: string };
}

function parseRequest(payload: string): BridgeRequest | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return null;
    const request = value as Partial<BridgeRequest>;
    if (request.messageType !== 'NestedAppAuthRequest' || typeof request.requestId !== 'string') return null;
    return request as BridgeRequest;
  } catch {
    return null;
  }
}

/** Answers one bridge request; returns the JSON response, or null for messages that are not ours. */
export async function answerBridgeRequest(
  payload: string,
  session: EmulatorSession,
  brokeredClientId: string,
): Promise<string | null> {
  const request = parseRequest(payload);
  if (!request) return null;
  const respond = (body: Omit<BridgeResponse, 'messageType' | 'requestId'>) =>
    JSON.stringify({ messageType: 'NestedAppAuthResponse', requestId: request.requestId, ...body });

  if (request.method === 'GetInitContext') {
    return respond({
      success: true,
      initContext: {
        sdkName: 'mailissa-outlook-emulator',
        sdkVersion: '1.0.0',
        capabilities: { queryAccount: false },
      },
    });
  }
  const params = request.tokenParams;
  if (!params || params.clientId !== brokeredClientId) {
    return respond({
      success: false,
      error: { status: 'PERSISTENT_ERROR', code: 'invalid_client', description: 'Unknown add-in client id.' },
    });
  }
  try {
    const token = await acquireToken(session, brokeredClientId, params.scope);
    const claims = session.claims;
    const issuer = new URL(session.tenant.issuer);
    return respond({
      success: true,
      token: {
        access_token: token.accessToken,
        expires_in: Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)),
        id_token: token.idToken,
        scope: token.scope,
        properties: null,
        authority: session.tenant.issuer.replace(/\/v2\.0\/?$/, ''),
      },
      account: {
        homeAccountId: `${claims.oid}.${claims.tid}`,
        environment: issuer.host,
        tenantId: claims.tid,
        username: claims.preferred_username,
        localAccountId: claims.oid,
        name: claims.name,
        loginHint: claims.preferred_username,
      },
    });
  } catch (error) {
    return respond({
      success: false,
      error: {
        status: 'USER_INTERACTION_REQUIRED',
        code: 'interaction_required',
        description: error instanceof Error ? error.message : String(error),
      },
    });
  }
}
