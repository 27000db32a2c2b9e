import type { ErrorCode } from '@mailissa/contracts';

/**
 * The one application error. `code` is stable and machine-readable, `status` is the HTTP status it
 * maps to, `message` is safe to show to the user; `detail` is for developers and logs only. The codes
 * are a closed list in `@mailissa/contracts` (errors.ts): a new code is added there first, so the web
 * can match it.
 */
export type AppErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 500 | 502 | 503;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: AppErrorStatus;
  readonly detail: string | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    status: AppErrorStatus,
    code: ErrorCode,
    message: string,
    options: { detail?: string; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.detail = options.detail;
    this.extra = options.extra;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
