import { AppError } from '../errors/app-error.js';
import { graphError, readGraphErrorCode } from './graph-errors.js';
import { parseRetryAfterMs, RETRYABLE_STATUSES, type RetryPolicy, retryDelayMs } from './retry-policy.js';

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the Graph base (`/users/…`), or absolute (an `@odata.nextLink` or upload URL). */
  path: string;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; bytes as they are. */
  body?: object | Uint8Array;
  /** Upload URLs are pre-authenticated and must not get an Authorization header (docs/microsoft-365.md §6.5). */
  anonymous?: boolean;
  /** Statuses the caller handles itself: returned, not thrown (e.g. 404 when probing a path). */
  accept?: readonly number[];
  /** What the call is for, in developer words, for error details. */
  what?: string;
}

export interface GraphStream {
  body: ReadableStream<Uint8Array>;
  /** From Content-Length; undefined when the server streams without announcing a length. */
  size: number | undefined;
  contentType: string | undefined;
}

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface GraphClient {
  /** A response with a status the caller accepted or a 2xx; throws AppError otherwise. */
  request(request: GraphRequest): Promise<Response>;
  json<T>(request: GraphRequest): Promise<T>;
  /** Every item of a collection, page by page, following `@odata.nextLink` verbatim. */
  paginate<T>(path: string, headers?: Record<string, string>): AsyncGenerator<T>;
  /** The raw bytes of a `$value` (or any) resource as a stream; nothing is buffered. */
  stream(path: string): Promise<GraphStream>;
  /** JSON batching in groups of 20; sub-requests answering 429/503/504 are retried on their own. */
  batch(requests: BatchRequest[]): Promise<BatchResponse[]>;
}

export interface GraphClientOptions {
  baseUrl: string;
  getAccessToken: () => Promise<string>;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  signal?: AbortSignal;
}

export const WORKER_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 120_000 };
export const REQUEST_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5000 };

const BATCH_LIMIT = 20;

/**
 * A path fit for logs: no query, and nothing after a path-addressing colon, where file and folder
 * names (mail subjects) would appear. Absolute URLs keep only their path (upload URLs carry secrets
 * in the query).
 */
export function describePath(path: string): string {
  const withoutOrigin = /^https?:\/\//.test(path) ? new URL(path).pathname : path;
  return (withoutOrigin.split('?')[0] ?? '').split(':')[0] ?? '';
}

function sleeper(signal: AbortSignal | undefined) {
  return (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const policy: RetryPolicy = { ...WORKER_RETRY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? sleeper(options.signal);
  const now = options.now ?? (() => new Date());
  const base = options.baseUrl.replace(/\/+$/, '');

  const urlOf = (path: string) => (/^https?:\/\//.test(path) ? path : `${base}${path}`);

  async function request(req: GraphRequest): Promise<Response> {
    const method = req.method ?? 'GET';
    const what = req.what ?? `${method} ${describePath(req.path)}`;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { ...req.headers };
      if (!req.anonymous) headers.authorization = `Bearer ${await options.getAccessToken()}`;
      let body: Uint8Array | string | undefined;
      if (req.body instanceof Uint8Array) body = req.body;
      else if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
      let response: Response;
      try {
        response = await doFetch(urlOf(req.path), {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // A dropped connection is as transient as a 503, without a Retry-After.
        const wait = retryDelayMs(policy, attempt, undefined);
        if (wait === undefined) {
          throw new AppError(503, 'graph_network_error', 'Microsoft 365 could not be reached.', {
            detail: `${what}: ${error instanceof Error ? error.message : String(error)}`,
            cause: error,
          });
        }
        await sleep(wait);
        continue;
      }
      if (response.ok || req.accept?.includes(response.status)) return response;
      if (RETRYABLE_STATUSES.has(response.status)) {
        const wait = retryDelayMs(
          policy,
          attempt,
          parseRetryAfterMs(response.headers.get('retry-after'), now()),
        );
        if (wait !== undefined) {
          await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      throw graphError(response.status, await readGraphErrorCode(response), what);
    }
  }

  async function json<T>(req: GraphRequest): Promise<T> {
    const response = await request(req);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async function* paginate<T>(path: string, headers?: Record<string, string>): AsyncGenerator<T> {
    let next: string | undefined = path;
    while (next) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await json({
        path: next,
        // Headers such as ConsistencyLevel are not carried onto nextLink requests: resend them.
        ...(headers ? { headers } : {}),
      });
      for (const item of page.value ?? []) yield item;
      next = page['@odata.nextLink'];
    }
  }

  async function stream(path: string): Promise<GraphStream> {
    const response = await request({ path });
    if (!response.body) throw graphError(response.status, 'emptyBody', `GET ${describePath(path)}`);
    const length = response.headers.get('content-length');
    const size = length !== null && /^\d+$/.test(length) ? Number.parseInt(length, 10) : undefined;
    return { body: response.body, size, contentType: response.headers.get('content-type') ?? undefined };
  }

  async function batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    const results = new Map<string, BatchResponse>();
    let pending = requests;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const retry: BatchRequest[] = [];
      let retryAfter: number | undefined;
      for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
        const group = pending.slice(start, start + BATCH_LIMIT);
        const answer = await json<{ responses: BatchResponse[] }>({
          method: 'POST',
          path: '/$batch',
          body: { requests: group },
          what: 'POST /$batch',
        });
        for (const response of answer.responses) {
          const original = group.find((r) => r.id.toLowerCase() === response.id.toLowerCase());
          if (original && RETRYABLE_STATUSES.has(response.status)) {
            // Each sub-request is throttled on its own; keep the longest wait any of them asked for.
            const header = Object.entries(response.headers ?? {}).find(
              ([name]) => name.toLowerCase() === 'retry-after',
            )?.[1];
            const ms = parseRetryAfterMs(header ?? null, now());
            if (ms !== undefined) retryAfter = Math.max(retryAfter ?? 0, ms);
            retry.push(original);
            results.set(original.id, response);
          } else {
            results.set(original?.id ?? response.id, response);
          }
        }
      }
      if (retry.length === 0) break;
      const wait = retryDelayMs(policy, attempt, retryAfter);
      if (wait === undefined) break; // the throttled answers stay in the results
      await sleep(wait);
      pending = retry;
    }
    return requests.map(
      (r) =>
        results.get(r.id) ?? {
          id: r.id,
          status: 502,
          body: { error: { code: 'missingBatchResponse', message: 'no answer' } },
        },
    );
  }

  return { request, json, paginate, stream, batch };
}
