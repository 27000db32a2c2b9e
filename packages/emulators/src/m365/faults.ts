/**
 * Fault injection for tests and benchmarks: the next `times` Graph requests that match answer with
 * the given status, Graph's error body and (optionally) `Retry-After`, so clients' retry and
 * throttling paths run against the same HTTP they meet in production.
 */
export interface FaultSpec {
  /** HTTP method to match (case-insensitive); omitted or '*' matches every method. */
  method?: string;
  /** Tested against the request path without query, e.g. `/emulator/graph/v1.0/me/messages/…`. */
  pathPattern: RegExp;
  status: number;
  retryAfterSeconds?: number;
  times: number;
}

export interface InjectedFault {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds: number | undefined;
}

const CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'Injected fault: bad request.'],
  401: ['InvalidAuthenticationToken', 'Injected fault: access token has expired or is not yet valid.'],
  403: ['accessDenied', 'Injected fault: access denied.'],
  404: ['itemNotFound', 'Injected fault: the resource could not be found.'],
  409: ['nameAlreadyExists', 'Injected fault: conflict.'],
  429: ['TooManyRequests', 'Injected fault: too many requests. Please try again later.'],
  500: ['generalException', 'Injected fault: an unspecified error occurred.'],
  502: ['BadGateway', 'Injected fault: bad gateway.'],
  503: ['serviceNotAvailable', 'Injected fault: the service is temporarily unavailable.'],
  504: ['GatewayTimeout', 'Injected fault: gateway timeout.'],
};

export class FaultInjector {
  private faults: Array<FaultSpec & { remaining: number }> = [];

  inject(spec: FaultSpec): void {
    if (!Number.isInteger(spec.times) || spec.times < 1) throw new Error('faults.inject: times must be ≥ 1');
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new Error('faults.inject: status must be a 4xx or 5xx code');
    }
    this.faults.push({ ...spec, remaining: spec.times });
  }

  clear(): void {
    this.faults = [];
  }

  /** How many injected answers are still waiting to be given. */
  pending(): number {
    return this.faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** The fault this request triggers, if any; consumes one of its `times`. */
  take(method: string, path: string): InjectedFault | undefined {
    const index = this.faults.findIndex(
      (fault) =>
        (fault.method === undefined ||
          fault.method === '*' ||
          fault.method.toUpperCase() === method.toUpperCase()) &&
        fault.pathPattern.test(path),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    // A global or sticky regular expression keeps state between test() calls; reset it.
    fault.pathPattern.lastIndex = 0;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    const [code, message] = CODES[fault.status] ?? [
      'generalException',
      `Injected fault: status ${fault.status}.`,
    ];
    return { status: fault.status, code, message, retryAfterSeconds: fault.retryAfterSeconds };
  }
}
