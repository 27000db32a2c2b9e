import { randomUUID } from 'node:crypto';

/**
 * An error of the authorize or token endpoint, shaped like Entra's (docs/microsoft-365.md §2.8): the OAuth
 * `error` class clients branch on, and an AADSTS code in the description and in `error_codes`.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    readonly status: 400 | 401 = 400,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = 'OAuthError';
  }
}

function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export function oauthErrorBody(error: OAuthError, now: Date, correlationId?: string): OAuthErrorBody {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = entraTimestamp(now);
  return {
    error: error.error,
    error_description: `AADSTS${error.aadsts}: ${error.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
  };
}
