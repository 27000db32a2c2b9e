import type { FastifyReply, FastifyRequest } from 'fastify';

/** An error Graph would answer with, in Graph's body shape (docs/microsoft-365.md §4.5). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: {
      code?: string;
      date: string;
      'request-id': string;
      'client-request-id': string;
    };
  };
}

export function clientRequestIdOf(request: FastifyRequest): string {
  const header = request.headers['client-request-id'];
  return typeof header === 'string' && header.length <= 100 ? header : request.id;
}

export function graphErrorBody(request: FastifyRequest, error: GraphError, now: Date): GraphErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        ...(error.innerCode ? { code: error.innerCode } : {}),
        // Graph writes the date without a zone designator.
        date: now.toISOString().slice(0, 19),
        'request-id': request.id,
        'client-request-id': clientRequestIdOf(request),
      },
    },
  };
}

export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Graph's own response headers on every answer. */
export function setGraphHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('request-id', request.id);
  reply.header('client-request-id', clientRequestIdOf(request));
  reply.header('OData-Version', '4.0');
}

export function sendGraphError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: GraphError,
  now: Date,
  authorizationUri: string,
): FastifyReply {
  setGraphHeaders(request, reply);
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  if (error.status === 401) {
    reply.header(
      'WWW-Authenticate',
      `Bearer realm="", authorization_uri="${authorizationUri}", client_id="00000003-0000-0000-c000-000000000000"`,
    );
  }
  return reply
    .status(error.status)
    .type(GRAPH_JSON)
    .send(graphErrorBody(request, error, now));
}

export const notFoundInDirectory = (id: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const itemNotFoundInStore = () =>
  new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
