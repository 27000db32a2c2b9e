import { type ErrorCode, errorCodeSchema } from '@mailissa/contracts';
import type { z } from 'zod';

/**
 * Codes the client makes up itself: the server could not be reached, answered with a body that breaks
 * the contract, or failed without our error body (a proxy's 502, …).
 */
export type ClientErrorCode = 'network_error' | 'invalid_response' | `http_${number}`;
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/**
 * A typed fetch client for our API. Every error body of the server is `{ error: { code, message, … } }`;
 * it becomes an `ApiError` whose `code` screens can switch on and whose `details` carry the extra
 * fields some errors have (`registrationUrl`, `administrators`, …).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: ApiErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** `code` is one of the contract's codes: matching a string that is no code does not compile. */
export function isApiError(value: unknown, code?: ApiErrorCode): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** A bearer token (add-in); the portal relies on its session cookie instead. */
  accessToken?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  query?: Record<string, string | number | undefined>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readErrorBody(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error;
    const text = typeof message === 'string' ? message : code;
    const known = errorCodeSchema.safeParse(code);
    if (known.success) return new ApiError(response.status, known.data, text, details);
    // A code the contract does not know: server and web disagree, and no screen can match on it.
    return new ApiError(response.status, `http_${response.status}`, text, { ...details, unknownCode: code });
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'Request failed');
}

export function withQuery(path: string, query: ApiRequestOptions['query']): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/**
 * Answers are checked against the contract in development and tests, where a mismatch should fail
 * loudly. Production builds trust the server instead: Vite replaces `import.meta.env.DEV` and `MODE`
 * with constants, so the check is removed there and no zod parsing runs on every call (the schemas
 * are still bundled, as the calls pass them; see docs/decisions/012).
 */
const CHECK_RESPONSES = import.meta.env.DEV || import.meta.env.MODE === 'test';

function parseResponse<S extends z.ZodType>(schema: S, path: string, json: unknown): z.infer<S> {
  if (!CHECK_RESPONSES) return json as z.infer<S>;
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const where = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new ApiError(0, 'invalid_response', `The answer of ${path} does not match the contract: ${where}`);
}

/**
 * Calls our API and returns the JSON body as `responseSchema` describes it (checked in development
 * and tests), or throws ApiError. For a 204 `responseSchema` is `null` and the result `undefined`.
 */
export async function apiFetch<S extends z.ZodType>(
  path: string,
  responseSchema: S,
  options?: ApiRequestOptions,
): Promise<z.infer<S>>;
export async function apiFetch(
  path: string,
  responseSchema: null,
  options?: ApiRequestOptions,
): Promise<void>;
export async function apiFetch(
  path: string,
  responseSchema: z.ZodType | null,
  options: ApiRequestOptions = {},
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (!response.ok) throw await readErrorBody(response);
  if (response.status === 204 || responseSchema === null) return undefined;
  return parseResponse(responseSchema, path, await response.json());
}

/** The text to show for a failure of any kind: an `Error`'s message, anything else as a string. */
export function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
