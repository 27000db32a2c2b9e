import type * as contracts from '@mailissa/contracts';
import { ERROR_CODES, type ErrorCode } from '@mailissa/contracts/codes';
import type { z } from 'zod';

type Contracts = typeof contracts;
/** The name of a schema exported by `@mailissa/contracts`, e.g. `'meSchema'`. */
export type ContractSchemaName = {
  [K in keyof Contracts]: Contracts[K] extends z.ZodType ? K : never;
}[keyof Contracts];
/** The type the named contract schema describes. */
export type ContractOf<N extends ContractSchemaName> = z.infer<Contracts[N]>;

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
    if (isErrorCode(code)) return new ApiError(response.status, code, text, details);
    // A code the contract does not know: server and web disagree, and no screen can match on it.
    return new ApiError(response.status, `http_${response.status}`, text, { ...details, unknownCode: code });
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'Request failed');
}

function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
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
 * loudly. Production builds trust the server: Vite replaces `import.meta.env.DEV` and `MODE` with
 * constants, so this branch and its dynamic import of the schemas are dropped, and zod (about 27 kB
 * gzipped) stays out of the add-in's bundle. That is why callers name the schema (`'meSchema'`)
 * instead of passing it: a schema object passed from a call site would be bundled anyway.
 */
async function checkedAgainstContract(
  name: ContractSchemaName,
  path: string,
  json: unknown,
): Promise<unknown> {
  if (!(import.meta.env.DEV || import.meta.env.MODE === 'test')) return json;
  // Zod would otherwise probe `new Function` for speed as schemas are built, which our CSP (no
  // 'unsafe-eval') reports: switch that off before the contract's schemas are created. Only zod's
  // core is asked for: the namespace of `zod` as a whole would bring every locale and the JSON
  // Schema converters into the build (a 386 KB chunk, parsed on each page load of the browser tests).
  const { config } = await import('zod/v4/core');
  config({ jitless: true });
  const schemas = await import('@mailissa/contracts');
  const result = (schemas as Record<ContractSchemaName, z.ZodType>)[name].safeParse(json);
  if (result.success) return result.data;
  const where = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new ApiError(0, 'invalid_response', `The answer of ${path} does not match ${name}: ${where}`);
}

/**
 * Calls our API and returns the JSON body as the named contract schema describes it (checked in
 * development and tests), or throws ApiError. For a 204 pass `null`; the result is `undefined`.
 */
export async function apiFetch<N extends ContractSchemaName>(
  path: string,
  responseSchema: N,
  options?: ApiRequestOptions,
): Promise<ContractOf<N>>;
export async function apiFetch(
  path: string,
  responseSchema: null,
  options?: ApiRequestOptions,
): Promise<void>;
export async function apiFetch(
  path: string,
  responseSchema: ContractSchemaName | null,
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
  return checkedAgainstContract(responseSchema, path, await response.json());
}

/** The text to show for a failure of any kind: an `Error`'s message, anything else as a string. */
export function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
