import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Fault injection for the SaaS stand-ins (Jira, Trello, Domino): the next `times` requests that
 * match answer with the given status, that system's own error body and (optionally) `Retry-After`,
 * or hang (`hang: true`) so a client's timeout runs, or carry the request out and withhold the
 * answer (`withholdAnswer: true`): the client that sent it cannot know the outcome, as when it dies
 * mid-request. Tests drive error handling through the same HTTP the product meets in production.
 */
export interface RestFaultSpec {
  /** HTTP method to match (case-insensitive); omitted or '*' matches every method. */
  method?: string;
  /** Tested against the request path without query. */
  pathPattern: RegExp;
  status: number;
  retryAfterSeconds?: number;
  /** Never answer (until the server closes): the client's timeout must fire. */
  hang?: boolean;
  /**
   * Do what was asked (create the issue, the card …) but never send the answer (until the client
   * or the server closes the connection). `status` is not used.
   */
  withholdAnswer?: boolean;
  times: number;
}

export type TakenFault = Omit<RestFaultSpec, 'times' | 'pathPattern' | 'method'>;

export class RestFaults {
  private faults: Array<RestFaultSpec & { remaining: number }> = [];

  inject(spec: RestFaultSpec): void {
    if (!Number.isInteger(spec.times) || spec.times < 1) throw new Error('faults.inject: times must be ≥ 1');
    if (!spec.withholdAnswer && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) {
      throw new Error('faults.inject: status must be a 4xx or 5xx code');
    }
    this.faults.push({ ...spec, remaining: spec.times });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): number {
    return this.faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** The fault this request triggers, if any; consumes one of its `times`. */
  take(method: string, path: string): TakenFault | undefined {
    const index = this.faults.findIndex((fault) => {
      fault.pathPattern.lastIndex = 0;
      return (
        (fault.method === undefined ||
          fault.method === '*' ||
          fault.method.toUpperCase() === method.toUpperCase()) &&
        fault.pathPattern.test(path)
      );
    });
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return {
      status: fault.status,
      ...(fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}),
      ...(fault.hang ? { hang: true } : {}),
      ...(fault.withholdAnswer ? { withholdAnswer: true } : {}),
    };
  }
}

/**
 * Answers the faults of `faults` on every request under `prefix`: a matching request gets that
 * system's own error body from `answer` (after `Retry-After` when the fault names one), or hangs
 * until the server closes. Registered on the stand-in's plugin, before its routes.
 */
export function serveRestFaults(
  app: FastifyInstance,
  faults: RestFaults,
  prefix: string,
  answer: (fault: TakenFault, reply: FastifyReply) => FastifyReply,
): void {
  const hanging = new Set<FastifyReply>();
  const withheld = new WeakSet<object>();
  app.addHook('onClose', async () => {
    for (const reply of hanging) reply.raw.destroy();
    hanging.clear();
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(`${prefix}/`)) return;
    const fault = faults.take(request.method, request.url.split('?')[0] ?? '');
    if (!fault) return;
    if (fault.withholdAnswer) {
      withheld.add(request);
      return;
    }
    if (fault.hang) {
      hanging.add(reply);
      return reply.hijack();
    }
    if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
    return answer(fault, reply);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!withheld.has(request)) return payload;
    // The route has done its work; its answer never leaves. The connection ends when either side closes.
    hanging.add(reply);
    reply.raw.once('close', () => hanging.delete(reply));
    return new Promise<never>(() => undefined);
  });
}
