/**
 * The wait a failed job's error asks for before its retry (a target system's Retry-After): the queue
 * starts the next attempt no sooner, instead of after its own shorter back-off alone. Kept beside
 * the error rather than on it, so any error (an AppError from a connector) can carry it unchanged.
 */
const requested = new WeakMap<object, number>();

/** Marks `error` so its job's retry waits at least `ms`; returns the error to throw. */
export function retryNoSoonerThan<E extends object>(error: E, ms: number): E {
  requested.set(error, Math.max(0, Math.ceil(ms)));
  return error;
}

/** The wait `retryNoSoonerThan` put on this error, if any. */
export function requestedRetryDelayMs(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? requested.get(error) : undefined;
}
