import type { ErrorCode } from '@mailissa/contracts';
import { AppError, type AppErrorStatus } from '../errors/app-error.js';

/** What a failed Graph call said, kept on the AppError so callers can branch on Graph's own code. */
export interface GraphFailure {
  graphStatus: number;
  graphCode: string;
}

function innerCodes(error: unknown): string[] {
  const codes: string[] = [];
  let node: unknown = error;
  for (let depth = 0; depth < 8 && node && typeof node === 'object'; depth++) {
    const record = node as Record<string, unknown>;
    if (typeof record.code === 'string') codes.push(record.code);
    // Graph documents `innererror` but sends `innerError`: read both.
    node = record.innerError ?? record.innererror;
  }
  return codes;
}

/** Reads Graph's error body (4.5) without trusting its shape. */
export async function readGraphErrorCode(response: Response): Promise<string> {
  try {
    const text = await response.text();
    const body = JSON.parse(text) as { error?: unknown };
    const codes = innerCodes(body.error);
    // The most specific code is the innermost one, e.g. nameAlreadyExists under a generic code.
    return codes.length > 0 ? codes.join('/') : `http_${response.status}`;
  } catch {
    return `http_${response.status}`;
  }
}

function statusFor(graphStatus: number): { status: AppErrorStatus; code: ErrorCode; message: string } {
  if (graphStatus === 401)
    return { status: 502, code: 'graph_unauthorized', message: 'Microsoft 365 refused our credentials.' };
  if (graphStatus === 403)
    return { status: 403, code: 'graph_access_denied', message: 'Microsoft 365 denied access.' };
  if (graphStatus === 404)
    return { status: 404, code: 'graph_not_found', message: 'Microsoft 365 could not find the item.' };
  if (graphStatus === 409)
    return { status: 409, code: 'graph_conflict', message: 'An item of that name already exists.' };
  if (graphStatus === 429 || graphStatus >= 500)
    return {
      status: 503,
      code: 'graph_unavailable',
      message: 'Microsoft 365 is busy or unavailable; please try again later.',
    };
  return { status: 502, code: 'graph_error', message: 'Microsoft 365 rejected a request.' };
}

export function graphError(graphStatus: number, graphCode: string, what: string): AppError {
  const mapped = statusFor(graphStatus);
  return new AppError(mapped.status, mapped.code, mapped.message, {
    detail: `${what}: Graph answered ${graphStatus} ${graphCode}`,
    extra: { graphStatus, graphCode },
  });
}

/** The Graph status and code behind an AppError raised by the Graph client, if it was one. */
export function graphFailureOf(error: unknown): GraphFailure | undefined {
  if (!(error instanceof AppError) || !error.extra) return undefined;
  const { graphStatus, graphCode } = error.extra;
  if (typeof graphStatus !== 'number' || typeof graphCode !== 'string') return undefined;
  return { graphStatus, graphCode };
}

/** Transient: worth another attempt later (throttling, Graph or network trouble). */
export function isTransientGraphFailure(error: unknown): boolean {
  const failure = graphFailureOf(error);
  if (failure) return failure.graphStatus === 429 || failure.graphStatus >= 500;
  return (
    error instanceof AppError && (error.code === 'graph_network_error' || error.code === 'graph_unavailable')
  );
}
