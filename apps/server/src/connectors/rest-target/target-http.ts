import type { ErrorCode } from '@mailissa/contracts';
import { AppError, type AppErrorStatus } from '../../errors/app-error.js';
import type { ConnectorContext } from '../connector.js';

/** Which system answered, and how to read the useful part of its error body for the log. */
export interface TargetSystem {
  /** As the user knows it: "Jira", "Trello", "HCL Domino". */
  name: string;
  /** A short developer-facing summary of an error body (field names, the system's codes); no user data. */
  describeError(status: number, body: string): string;
  /** The status to classify by, where a system uses one status for two things (Trello's 401). */
  effectiveStatus?(status: number, body: string): number;
}

export interface TargetCall {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or a ready body (a stream needs `duplex: 'half'`). */
  json?: unknown;
  body?: RequestInit['body'];
  /** Statuses the caller handles itself (e.g. 404 on a lookup); every other non-2xx throws. */
  accept?: number[];
  /** What the call does, for the log: "create issue". */
  what: string;
  /** Uploads take longer than lookups; both end rather than hang a worker. */
  timeoutMs?: number;
}

/** A lookup or a small write that takes longer than this is treated as a timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** An upload may stream up to the largest attachment; this bounds a stalled one. */
export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/** Milliseconds from a Retry-After header (seconds or an HTTP date), if it says anything usable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * The classification every REST connector shares (issue 11 item 10), as the SharePoint connector
 * does for Graph: 401 → the user must reconnect (permanent, the add-in leads back to connecting);
 * 403, 404, 409, 413 and other 4xx are permanent and say what is wrong; 429 and 5xx are transient
 * (the job tries again), 429 keeping Retry-After on the error so the retry can wait for it.
 */
export function targetFailure(
  system: TargetSystem,
  status: number,
  what: string,
  detail: string,
  retryAfter?: number,
): AppError {
  const options = {
    detail: `${what}: ${system.name} answered ${status}${detail ? ` (${detail})` : ''}`,
    extra: { targetStatus: status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) },
  };
  const fail = (appStatus: AppErrorStatus, code: ErrorCode, message: string) =>
    new AppError(appStatus, code, message, options);
  if (status === 401)
    return fail(
      401,
      'target_credentials_rejected',
      `${system.name} did not accept your credentials; please connect your account again.`,
    );
  if (status === 403)
    return fail(
      403,
      'target_access_denied',
      `${system.name} denied access; your account may not do this there.`,
    );
  if (status === 404)
    return fail(
      404,
      'target_record_not_found',
      `${system.name} could not find the target; it may have been deleted.`,
    );
  if (status === 409)
    return fail(409, 'target_conflict', `${system.name} reported a conflict with what is already there.`);
  if (status === 413)
    return fail(413, 'target_file_too_large', `A file is larger than ${system.name} accepts.`);
  if (status === 429)
    return fail(
      503,
      'target_throttled',
      `${system.name} asked us to slow down; the transfer will try again.`,
    );
  if (status >= 500)
    return fail(
      503,
      'target_unavailable',
      `${system.name} is unavailable at the moment; the transfer will try again.`,
    );
  return fail(422, 'target_rejected', `${system.name} refused the request (${status}).`);
}

/** Transient target trouble: another attempt later may succeed. */
export function isTransientTargetFailure(error: unknown): boolean {
  return (
    error instanceof AppError &&
    ['target_throttled', 'target_unavailable', 'target_timeout', 'target_unreachable'].includes(error.code)
  );
}

/** The fetch to use: the SSRF-guarded one the context carries, never the global one. */
export function fetchOf(context: ConnectorContext): typeof fetch {
  // Until the guarded fetch is wired in (connectors/kit/), refuse rather than call out unguarded.
  if (!context.fetch)
    throw new AppError(
      503,
      'target_unreachable',
      'Connections to other systems are not available on this server.',
      {
        detail: 'connector context without the guarded fetch',
      },
    );
  return context.fetch;
}

/**
 * One HTTP call to a target system through the context's guarded fetch, with a timeout, mapping
 * failures to AppErrors the transfer worker classifies (targetFailure).
 */
export async function targetRequest(
  context: ConnectorContext,
  system: TargetSystem,
  call: TargetCall,
  now: () => Date = () => new Date(),
): Promise<Response> {
  const timeout = AbortSignal.timeout(call.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body = call.body;
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  }
  const streaming = body instanceof ReadableStream;
  let response: Response;
  try {
    response = await fetchOf(context)(call.url, {
      method: call.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      // A streamed request body must say so (fetch's half-duplex rule).
      ...(streaming ? ({ duplex: 'half' } as RequestInit) : {}),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (error instanceof AppError) throw error; // the SSRF guard's refusal, already a clear 4xx
    if (context.signal?.aborted) throw error; // shutting down: not the target's fault
    if (timeout.aborted)
      throw new AppError(
        503,
        'target_timeout',
        `${system.name} did not answer in time; the transfer will try again.`,
        {
          detail: `${call.what}: no answer within ${call.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
        },
      );
    throw new AppError(
      503,
      'target_unreachable',
      `${system.name} could not be reached; the transfer will try again.`,
      {
        detail: `${call.what}: ${error instanceof Error ? error.message : 'network error'}`,
      },
    );
  }
  if (response.ok || call.accept?.includes(response.status)) return response;
  const text = await response.text().catch(() => '');
  if (response.status >= 300 && response.status < 400) {
    // A REST API that redirects is misconfigured (or an address that is not the API at all).
    throw targetFailure(system, response.status, call.what, 'redirected elsewhere');
  }
  throw targetFailure(
    system,
    system.effectiveStatus?.(response.status, text) ?? response.status,
    call.what,
    system.describeError(response.status, text),
    response.status === 429 ? retryAfterMs(response.headers.get('retry-after'), now()) : undefined,
  );
}

/** Reads a JSON answer through a schema; an answer we cannot read is the target's fault, not ours. */
export async function readJson<T>(
  system: TargetSystem,
  response: Response,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  what: string,
): Promise<T> {
  let value: unknown;
  try {
    value = await response.json();
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError(
      502,
      'target_answer_unreadable',
      `${system.name} sent an answer Mailissa could not read.`,
      {
        detail: `${what}: unexpected JSON`,
      },
    );
  return parsed.data;
}
