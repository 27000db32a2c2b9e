/**
 * Whether an error means the database cannot be reached right now (stopped, restarting, failing over,
 * the network to it gone), as opposed to a fault of the query. Such a request is answered 503 with
 * Retry-After rather than 500 (http/error-handler.ts), and the pool reconnects by itself once the
 * database is back.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/** SQLSTATE class 08 (connection exception) and 57P01–57P03 (shut down by the administrator, crashed, starting up). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;

/** node-postgres's own messages for a connection that broke or never came (they carry no code). */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'Client has encountered a connection error',
  'Connection terminated due to connection timeout',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (DRIVER_MESSAGES.some((message) => current instanceof Error && current.message.startsWith(message)))
      return true;
    // A failed connect of several addresses (localhost: ::1 and 127.0.0.1) arrives as an AggregateError.
    if (current instanceof AggregateError && current.errors.some((each) => isDatabaseUnavailable(each)))
      return true;
    current = current.cause;
  }
  return false;
}
